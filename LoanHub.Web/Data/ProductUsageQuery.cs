using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

/// <summary>
/// What the store says products have used of their caps and budgets: leads allocated on a China day and the expected
/// commission of the month's allocations, read on the (ProductId, BusinessDay) index. The writer keeps the same figures
/// in memory (with the slots of deliveries in flight); the alerts and the review preview read them from the store.
/// </summary>
public static class ProductUsageQuery
{
    public static async Task<Dictionary<ProductId, ProductUsage>> ReadAsync(LoanHubDbContext db, IReadOnlyCollection<ProductId> products, DateOnly today,
        CancellationToken cancellationToken = default)
    {
        if (products.Count == 0) return [];
        var ids = products.ToList();
        var month = BusinessDay.MonthOf(today);
        var rows = await db.Allocations.AsNoTracking().Where(a => ids.Contains(a.ProductId) && a.BusinessDay >= month)
            .GroupBy(a => new { a.ProductId, Today = a.BusinessDay == today })
            .Select(g => new { g.Key.ProductId, g.Key.Today, Leads = g.Count(), Committed = g.Sum(a => a.ExpectedCommission) })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ProductId).ToDictionary(g => g.Key,
            g => new ProductUsage(g.Where(r => r.Today).Sum(r => r.Leads), g.Sum(r => r.Committed)));
    }
}
