using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Configuration;

/// <summary>
/// Writes the store's sources, lenders, products and routing strategy as a <see cref="ConfigurationDocument"/>,
/// so that importing the result changes nothing. API keys and delivery secrets are left out: only their hashes are stored, and
/// the importer keeps the existing key of an entry that does not ask to replace it.
/// </summary>
public sealed class ConfigurationExporter(IDbContextFactory<LoanHubDbContext> contexts)
{
    public const string FileName = "loanhub-config.json";

    public async Task<ConfigurationDocument> ExportAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.Code).ToListAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).OrderBy(l => l.Code).ToListAsync(cancellationToken);
        var routing = await db.RoutingPolicies.AsNoTracking().Where(p => p.IsActive)
            .OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);

        return new ConfigurationDocument
        {
            Sources = [.. sources.Select(s => new SourceDocument(s.Code, s.Name, ApiKey: null))],
            Lenders = [.. lenders.Select(l => new LenderDocument(l.Code, l.Name, ApiKey: null,
                [.. l.Products.OrderBy(p => p.Code, StringComparer.Ordinal).Select(ToDocument)], l.IsActive,
                l.Delivery is { } d ? new DeliveryDocument(d.PrecheckUrl, d.PostUrl, Secret: null, d.TimeoutMs) : null))],
            Routing = routing is null ? null : new RoutingDocument(routing.Strategy),
        };
    }

    public async Task<byte[]> ExportJsonAsync(CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeToUtf8Bytes(await ExportAsync(cancellationToken), ConfigurationDocument.JsonOptions);

    public static ProductDocument ToDocument(LenderProduct product)
    {
        var (criteria, limits, commission) = (product.Criteria, product.Limits, product.Commission);
        return new ProductDocument(product.Code, product.Name, product.Type,
            criteria.MinAmount, criteria.MaxAmount, criteria.MinTermMonths, criteria.MaxTermMonths,
            criteria.MinAge, criteria.MaxAge, criteria.MinScore, criteria.MinMonthlyIncome,
            [.. criteria.Provinces], [.. criteria.Employment], criteria.MaxTier,
            limits.DailyCap, limits.MonthlyBudget, limits.Weight, limits.Priority,
            CommissionDocument.Of(commission),
            product.IsActive,
            [.. criteria.Purposes],
            AprDocument.Of(product.Apr));
    }
}
