using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Lenders;

/// <summary>
/// One change to the catalog (lenders, products, traffic sources): checks <see cref="Policies.LendersEdit"/> itself
/// (hiding a button is not enough), runs the change on a fresh context with an audit trail, saves it and the audit
/// in one transaction, turns domain and concurrency failures into results, and tells the engine and the intake
/// key cache to reload.
/// </summary>
public sealed class CatalogEditor(
    IDbContextFactory<LoanHubDbContext> contexts,
    IAuthorizationService authorization,
    EngineHost engine,
    SourceKeys sourceKeys,
    TimeProvider clock)
{
    /// <summary>The audit area of catalog changes, which operations managers may read.</summary>
    public const string Area = "Lenders";

    public async Task<bool> CanEditAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, Policies.LendersEdit)).Succeeded;

    public async Task<CatalogResult> EditAsync(ClaimsPrincipal user, Func<LoanHubDbContext, AuditTrail, Task<CatalogResult>> change, CancellationToken cancellationToken)
    {
        if (!await CanEditAsync(user)) return CatalogResult.Forbidden;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var audit = new AuditTrail(db, Actor(user), clock.GetUtcNow());
        CatalogResult result;
        try
        {
            result = await change(db, audit);
            if (!result.Succeeded) return result;
            if (!db.ChangeTracker.HasChanges()) return result;
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException e)
        {
            return CatalogResult.Invalid(e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CatalogResult.Conflict;
        }
        CatalogChanged();
        return result;
    }

    /// <summary>The engine reloads its catalog and intake stops trusting the source keys it has cached.</summary>
    public void CatalogChanged()
    {
        engine.CatalogChanged();
        sourceKeys.Forget();
    }

    /// <summary>Creates a lender or source with a new API key, returned once in <see cref="CatalogResult.ApiKey"/>; only its hash is stored.</summary>
    public Task<CatalogResult> CreatePartnerAsync<T>(ClaimsPrincipal user, Func<LoanHubDbContext, IQueryable<T>> all, Func<string, T> create,
        string code, CancellationToken cancellationToken) where T : class, IPartner =>
        EditAsync(user, async (db, audit) =>
        {
            var trimmed = code.Trim();
            if (await all(db).AnyAsync(p => p.Code.ToLower() == trimmed.ToLower(), cancellationToken))
                return CatalogResult.Invalid($"A {T.Kind.ToLowerInvariant()} with the code {{0}} already exists.", trimmed);
            var apiKey = ApiKeys.Generate();
            var partner = create(ApiKeys.Hash(apiKey));
            db.Add(partner);
            audit.Record(Area, $"{T.Kind} created", typeof(T).Name, partner.Code, after: new { partner.Code, partner.Name, Active = partner.IsActive });
            return CatalogResult.Ok(apiKey);
        }, cancellationToken);

    /// <summary>Renames the partner the operator saw at <paramref name="versionSeen"/>; a conflict if someone changed it since.</summary>
    public Task<CatalogResult> RenamePartnerAsync<T>(ClaimsPrincipal user, Func<LoanHubDbContext, Task<T?>> find, string name, int versionSeen,
        CancellationToken cancellationToken) where T : class, IPartner =>
        EditAsync(user, async (db, audit) =>
        {
            if (await find(db) is not { } partner) return CatalogResult.NotFound(T.Kind.ToLowerInvariant());
            if (partner.Version != versionSeen) return CatalogResult.Conflict;
            // Also guards the moment between this read and the save: the UPDATE matches only the version the operator saw.
            db.Entry(partner).Property(p => p.Version).OriginalValue = versionSeen;
            var before = partner.Name;
            partner.Rename(name);
            if (partner.Name == before) return CatalogResult.Ok();
            audit.Record(Area, $"{T.Kind} renamed", typeof(T).Name, partner.Code, new { Name = before }, new { partner.Name });
            return CatalogResult.Ok();
        }, cancellationToken);

    /// <summary>Replaces a partner's API key; the old key stops working at once. The new key is returned once.</summary>
    public Task<CatalogResult> RotateApiKeyAsync<T>(ClaimsPrincipal user, Func<LoanHubDbContext, Task<T?>> find, CancellationToken cancellationToken)
        where T : class, IPartner =>
        EditAsync(user, async (db, audit) =>
        {
            if (await find(db) is not { } partner) return CatalogResult.NotFound(T.Kind.ToLowerInvariant());
            var apiKey = ApiKeys.Generate();
            partner.SetApiKeyHash(ApiKeys.Hash(apiKey));
            // The audit names the change, never the key or its hash.
            audit.Record(Area, $"{T.Kind} API key rotated", typeof(T).Name, partner.Code);
            return CatalogResult.Ok(apiKey);
        }, cancellationToken);

    public Task<CatalogResult> SetActiveAsync<T>(ClaimsPrincipal user, Func<LoanHubDbContext, Task<T?>> find, bool active, CancellationToken cancellationToken)
        where T : class, IPartner =>
        EditAsync(user, async (db, audit) =>
        {
            if (await find(db) is not { } partner) return CatalogResult.NotFound(T.Kind.ToLowerInvariant());
            if (partner.IsActive == active) return CatalogResult.Ok();
            if (active) partner.Resume(); else partner.Pause();
            audit.Record(Area, active ? $"{T.Kind} resumed" : $"{T.Kind} paused", typeof(T).Name, partner.Code,
                new { Active = !active }, new { Active = active });
            return CatalogResult.Ok();
        }, cancellationToken);

    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
