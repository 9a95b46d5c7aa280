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
        engine.InvalidateState();
        sourceKeys.Forget();
        return result;
    }

    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
