using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Lenders;

/// <summary>
/// Lenders and their products for the console: the list, and every change to it. Each change goes through
/// <see cref="CatalogEditor"/> (the server checks the right, audits in the same transaction, the engine reloads)
/// and through the domain types.
/// </summary>
public sealed class LenderCatalogService(
    IDbContextFactory<LoanHubDbContext> contexts,
    CatalogEditor editor,
    ConfigurationImporter importer,
    ConfigurationExporter exporter,
    RoutingPolicyService policies,
    TimeProvider clock)
{
    private const string Area = CatalogEditor.Area;
    private const int MaxImportBytes = 2 * 1024 * 1024;

    public Task<bool> CanEditAsync(ClaimsPrincipal user) => editor.CanEditAsync(user);

    public async Task<IReadOnlyList<LenderRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).OrderBy(l => l.Code).ToListAsync(cancellationToken);
        var productIds = lenders.SelectMany(l => l.Products).Select(p => p.Id).ToList();
        var today = BusinessDay.Of(clock.GetUtcNow());
        // ProductId IN (…) AND BusinessDay = today walks the (ProductId, BusinessDay) index, however long the history.
        var leadsToday = await db.Allocations.AsNoTracking()
            .Where(a => productIds.Contains(a.ProductId) && a.BusinessDay == today)
            .GroupBy(a => a.ProductId)
            .Select(g => new { ProductId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.ProductId, x => x.Count, cancellationToken);

        return [.. lenders.Select(l => new LenderRow(l.Id, l.Code, l.Name, l.IsActive, l.Version,
            [.. l.Products.OrderBy(p => p.Limits.Priority).ThenBy(p => p.Code, StringComparer.Ordinal)
                .Select(p => ToRow(p, leadsToday.GetValueOrDefault(p.Id)))],
            l.Delivery is { } delivery ? new Uri(delivery.PostUrl).Host : null,
            l.AutoPausedReason))];
    }

    public async Task<ProductRow?> GetProductAsync(ProductId id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return product is null ? null : ToRow(product, 0);
    }

    /// <summary>Creates a lender with a new API key, returned once in <see cref="CatalogResult.ApiKey"/>; only its hash is stored.</summary>
    public Task<CatalogResult> CreateLenderAsync(ClaimsPrincipal user, string code, string name, CancellationToken cancellationToken = default) =>
        editor.CreatePartnerAsync(user, db => db.Lenders, hash => new Lender(code, name, hash), code, cancellationToken);

    public Task<CatalogResult> RenameLenderAsync(ClaimsPrincipal user, LenderId id, string name, int versionSeen, CancellationToken cancellationToken = default) =>
        editor.RenamePartnerAsync(user, db => FindLenderAsync(db, id, cancellationToken), name, versionSeen, cancellationToken);

    /// <summary>Replaces a lender's API key; the old key stops working at once. The new key is returned once.</summary>
    public Task<CatalogResult> RotateApiKeyAsync(ClaimsPrincipal user, LenderId id, CancellationToken cancellationToken = default) =>
        editor.RotateApiKeyAsync(user, db => FindLenderAsync(db, id, cancellationToken), cancellationToken);

    public Task<CatalogResult> SetLenderActiveAsync(ClaimsPrincipal user, LenderId id, bool active, CancellationToken cancellationToken = default) =>
        editor.SetActiveAsync(user, db => FindLenderAsync(db, id, cancellationToken), active, cancellationToken);

    private static Task<Lender?> FindLenderAsync(LoanHubDbContext db, LenderId id, CancellationToken cancellationToken) =>
        db.Lenders.SingleOrDefaultAsync(l => l.Id == id, cancellationToken);

    public Task<CatalogResult> SetProductActiveAsync(ClaimsPrincipal user, ProductId id, bool active, CancellationToken cancellationToken = default) =>
        editor.EditAsync(user, async (db, audit) =>
        {
            var product = await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (product is null) return CatalogResult.NotFound("product");
            if (product.IsActive == active) return CatalogResult.Ok();
            var before = ProductAuditView.Of(product);
            if (active) product.Resume(); else product.Pause();
            audit.Record(Area, active ? "Product resumed" : "Product paused", nameof(LenderProduct), product.Code, before, ProductAuditView.Of(product));
            return CatalogResult.Ok();
        }, cancellationToken);

    /// <summary>
    /// Creates the product of <paramref name="form"/>, or saves the edit of an existing one against the version
    /// the operator opened: if someone saved it since, nothing is written and the result is a conflict.
    /// </summary>
    public Task<CatalogResult> SaveProductAsync(ClaimsPrincipal user, ProductForm form, CancellationToken cancellationToken = default) =>
        editor.EditAsync(user, async (db, audit) =>
        {
            var (criteria, commission) = form.ToDomain();
            if (form.Id is not { } id)
            {
                var lender = await db.Lenders.Include(l => l.Products).SingleOrDefaultAsync(l => l.Id == form.LenderId, cancellationToken);
                if (lender is null) return CatalogResult.NotFound("lender");
                var code = form.Code.Trim();
                if (await db.Products.AnyAsync(p => p.Code.ToLower() == code.ToLower(), cancellationToken))
                    return CatalogResult.Invalid("A product with the code {0} already exists.", code);
                var created = lender.AddProduct(form.Code, form.Name, form.Type, criteria, commission);
                db.Products.Add(created);
                created.DeclareApr(form.Apr());
                audit.Record(Area, "Product created", nameof(LenderProduct), created.Code, after: ProductAuditView.Of(created));
                return CatalogResult.Ok();
            }

            var product = await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (product is null) return CatalogResult.NotFound("product");
            if (product.Version != form.Version) return CatalogResult.Conflict;
            // Also guards the moment between this read and the save: the UPDATE matches only the version the operator saw.
            db.Entry(product).Property(p => p.Version).OriginalValue = form.Version;
            var before = ProductAuditView.Of(product);
            product.Update(form.Name, form.Type, criteria, commission);
            product.DeclareApr(form.Apr());
            var after = ProductAuditView.Of(product);
            if (before == after) return CatalogResult.Ok();
            audit.Record(Area, "Product updated", nameof(LenderProduct), product.Code, before, after);
            return CatalogResult.Ok();
        }, cancellationToken);

    public Task<byte[]> ExportJsonAsync(CancellationToken cancellationToken = default) => exporter.ExportJsonAsync(cancellationToken);

    /// <summary>Reads an uploaded configuration file and lists what importing it would change, storing nothing.</summary>
    public async Task<ImportCheck> PreviewImportAsync(ClaimsPrincipal user, Stream file, CancellationToken cancellationToken = default)
    {
        if (!await CanEditAsync(user)) return ImportCheck.Failed(CatalogResult.Forbidden.Message!);
        try
        {
            using var reader = new StreamReader(file);
            var json = await reader.ReadToEndAsync(cancellationToken);
            var document = ConfigurationDocument.Parse(json);
            var preview = await importer.PreviewAsync(document, CatalogEditor.Actor(user), cancellationToken);
            return new ImportCheck(document, preview, null);
        }
        catch (ConfigurationException e)
        {
            return ImportCheck.Failed(e.Message);
        }
    }

    /// <summary>
    /// Applies a configuration document through the importer: all of it, audited, or nothing. It may change the routing policy
    /// (a new version, simulated by the import), so it needs the right to edit routing too, and a comment.
    /// </summary>
    public async Task<CatalogResult> ImportAsync(ClaimsPrincipal user, ConfigurationDocument document, string comment,
        CancellationToken cancellationToken = default)
    {
        if (!await CanEditAsync(user) || !await policies.CanEditAsync(user)) return CatalogResult.Forbidden;
        if (string.IsNullOrWhiteSpace(comment)) return CatalogResult.Invalid("Say why you import this configuration: a comment is required.");
        try
        {
            var summary = await importer.ApplyAsync(document, CatalogEditor.Actor(user), comment.Trim(), cancellationToken);
            return Imported(summary);
        }
        catch (ConfigurationException e)
        {
            return CatalogResult.Invalid(e.Message);
        }
        catch (DbUpdateException)
        {
            return CatalogResult.Invalid("The store refused the import (a code or API key is already used elsewhere); nothing was changed.");
        }
    }

    public static long MaxImportFileBytes => MaxImportBytes;

    private static CatalogResult Imported(ImportSummary summary) => summary switch
    {
        { ChangedAnything: false } => new(CatalogStatus.Ok, "Configuration imported: nothing changed."),
        { PolicyVersion: { } version } => new(CatalogStatus.Ok, "Configuration imported: {0} created, {1} updated, routing policy version {2}.")
            { Arguments = [summary.Created, summary.Updated, version] },
        _ => new(CatalogStatus.Ok, "Configuration imported: {0} created, {1} updated.") { Arguments = [summary.Created, summary.Updated] },
    };

    private static ProductRow ToRow(LenderProduct p, int leadsToday) =>
        new(p.Id, p.LenderId, p.Code, p.Name, p.Type, p.Criteria, p.Limits, p.Commission, p.IsActive, p.Version, leadsToday, p.Apr);
}

/// <summary>An uploaded configuration file read and previewed, or the reason it cannot be imported.</summary>
public sealed record ImportCheck(ConfigurationDocument? Document, ImportPreview? Preview, string? Error)
{
    public static ImportCheck Failed(string error) => new(null, null, error);
}
