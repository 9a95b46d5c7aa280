using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Learning;

/// <summary>One product × tier of the insights: who it is and what was learned about it.</summary>
public sealed record InsightRow(ProductId ProductId, string LenderCode, string ProductCode, string ProductName, RiskTier Tier, ProductTierRates Rates);

/// <param name="AsOf">When the snapshot's counts were read from the store.</param>
public sealed record Insights(DateTimeOffset AsOf, RatePriors Priors, IReadOnlyList<InsightRow> Rows)
{
    public bool HasOutcomes => Rows.Any(r => r.Rates.ProductId is not null && (r.Rates.Counts.Offered > 0 || r.Rates.Counts.Decided > 0));
}

/// <summary>The learned rates of every product of the catalog for every tier A–E, named for people (the routing page's Insights, the analysts' JSON).</summary>
public sealed class InsightsService(IDbContextFactory<LoanHubDbContext> contexts, LearnedRatesBoard board)
{
    public async Task<Insights> LoadAsync(CancellationToken cancellationToken = default)
    {
        var rates = board.Current;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var products = await (from product in db.Products.AsNoTracking()
                              join lender in db.Lenders.AsNoTracking() on product.LenderId equals lender.Id
                              select new { product.Id, LenderCode = lender.Code, product.Code, product.Name })
            .ToListAsync(cancellationToken);
        var rows = products
            .OrderBy(p => p.LenderCode, StringComparer.Ordinal).ThenBy(p => p.Code, StringComparer.Ordinal)
            .SelectMany(p => Enum.GetValues<RiskTier>().Select(tier => new InsightRow(p.Id, p.LenderCode, p.Code, p.Name, tier, rates.For(p.Id, tier))))
            .ToList();
        return new Insights(rates.AsOf, rates.Priors, rows);
    }
}
