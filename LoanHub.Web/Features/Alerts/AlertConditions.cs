using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Delivery;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Alerts;

/// <summary>
/// What each rule finds true in the store now. Every read is bounded by an index and a window (today, this month, the
/// last hour, the health window, the open cases), so a minute's check costs the same on a small store and a large one.
/// </summary>
public static class AlertConditions
{
    public static async Task<IReadOnlyList<AlertFinding>> FindAsync(LoanHubDbContext db, IReadOnlyDictionary<AlertKind, AlertRuleSetting> rules,
        DateTimeOffset now, TimeSpan healthWindow, CancellationToken cancellationToken = default)
    {
        var found = new List<AlertFinding>();
        bool On(AlertKind kind) => rules.TryGetValue(kind, out var rule) && rule.IsEnabled;
        decimal Threshold(AlertKind kind) => rules[kind].Threshold ?? AlertDefaults.ThresholdOf(kind) ?? 0m;

        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        var today = BusinessDay.Of(now);
        if (On(AlertKind.DailyCapReached)) found.AddRange(await CapsReachedAsync(db, lenders, today, cancellationToken));
        if (On(AlertKind.BudgetNearlySpent)) found.AddRange(await BudgetsAsync(db, lenders, today, Threshold(AlertKind.BudgetNearlySpent), cancellationToken));
        if (On(AlertKind.LenderAutoPaused))
            found.AddRange(lenders.Where(l => l.AutoPausedReason is not null).Select(l => new AlertFinding(AlertKind.LenderAutoPaused, l.Code, l.Name, 0m, 0m)));
        if (On(AlertKind.NoOutcomes)) found.AddRange(await QuietLendersAsync(db, lenders, now, Threshold(AlertKind.NoOutcomes), cancellationToken));
        if (On(AlertKind.SourceFraudRate)) found.AddRange(await FraudRatesAsync(db, now, Threshold(AlertKind.SourceFraudRate), cancellationToken));
        if (On(AlertKind.ReviewSla) && await Review.WaitingCases.OldestAsync(db, cancellationToken) is { } oldest)
        {
            var hours = (decimal)(now - oldest).TotalHours;
            if (hours >= Threshold(AlertKind.ReviewSla))
                found.Add(new AlertFinding(AlertKind.ReviewSla, ReviewQueueSubject, "", decimal.Round(hours, 1), Threshold(AlertKind.ReviewSla)));
        }
        if (On(AlertKind.DeliveryErrors)) found.AddRange(await DeliveryErrorsAsync(db, lenders, now, healthWindow, Threshold(AlertKind.DeliveryErrors), cancellationToken));
        return found;
    }

    /// <summary>The subject of the review SLA's one alert: the queue as a whole.</summary>
    public const string ReviewQueueSubject = "review-queue";

    private static IEnumerable<(Lender Lender, LenderProduct Product)> ActiveProducts(List<Lender> lenders) =>
        lenders.Where(l => l.IsActive).SelectMany(l => l.Products.Where(p => p.IsActive).Select(p => (l, p)));

    private static string ProductName(Lender lender, LenderProduct product) => $"{lender.Name} · {product.Name}";

    private static async Task<IEnumerable<AlertFinding>> CapsReachedAsync(LoanHubDbContext db, List<Lender> lenders, DateOnly today, CancellationToken cancellationToken)
    {
        // A cap of 0 is a product closed on purpose, not one that ran out.
        var capped = ActiveProducts(lenders).Where(x => x.Product.Limits.DailyCap is > 0).ToList();
        var usage = await ProductUsageQuery.ReadAsync(db, [.. capped.Select(x => x.Product.Id)], today, cancellationToken);
        int LeadsOf(LenderProduct product) => usage.GetValueOrDefault(product.Id)?.LeadsToday ?? 0;
        return capped.Where(x => LeadsOf(x.Product) >= x.Product.Limits.DailyCap)
            .Select(x => new AlertFinding(AlertKind.DailyCapReached, x.Product.Code, ProductName(x.Lender, x.Product), LeadsOf(x.Product), x.Product.Limits.DailyCap!.Value));
    }

    private static async Task<IEnumerable<AlertFinding>> BudgetsAsync(LoanHubDbContext db, List<Lender> lenders, DateOnly today, decimal percent, CancellationToken cancellationToken)
    {
        var budgeted = ActiveProducts(lenders).Where(x => x.Product.Limits.MonthlyBudget is > 0).ToList();
        // What the engine holds against the budget: the expected commission of this month's allocations.
        var usage = await ProductUsageQuery.ReadAsync(db, [.. budgeted.Select(x => x.Product.Id)], today, cancellationToken);
        return budgeted
            .Select(x => (x.Lender, x.Product, Used: 100m * (usage.GetValueOrDefault(x.Product.Id)?.CommissionCommittedThisMonth ?? 0m) / x.Product.Limits.MonthlyBudget!.Value))
            .Where(x => x.Used >= percent)
            .Select(x => new AlertFinding(AlertKind.BudgetNearlySpent, x.Product.Code, ProductName(x.Lender, x.Product), decimal.Round(x.Used, 1), percent));
    }

    private static async Task<IEnumerable<AlertFinding>> QuietLendersAsync(LoanHubDbContext db, List<Lender> lenders, DateTimeOffset now, decimal days, CancellationToken cancellationToken)
    {
        var quietSince = now - TimeSpan.FromDays((double)days);
        var lastLeadDay = BusinessDay.Of(quietSince);
        var firstLeadDay = lastLeadDay.AddDays(-AlertDefaults.OutcomeLookbackDays);
        var found = new List<AlertFinding>();
        foreach (var lender in lenders.Where(l => l.IsActive && l.Products.Count > 0))
        {
            var products = lender.Products.Select(p => p.Id).ToList();
            // Only a lender that had leads before the quiet period owes outcomes for it.
            var hadLeads = await db.Allocations.AnyAsync(a => products.Contains(a.ProductId) && a.BusinessDay >= firstLeadDay && a.BusinessDay < lastLeadDay, cancellationToken);
            if (!hadLeads) continue;
            var lastOutcome = await db.Outcomes.Where(o => o.LenderId == lender.Id).OrderByDescending(o => o.ReceivedAt)
                .Select(o => (DateTimeOffset?)o.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
            if (lastOutcome is { } last && last >= quietSince) continue;
            var quietDays = lastOutcome is { } at ? (decimal)(now - at).TotalDays : days;
            found.Add(new AlertFinding(AlertKind.NoOutcomes, lender.Code, lender.Name, decimal.Round(quietDays, 1), days));
        }
        return found;
    }

    private static async Task<IEnumerable<AlertFinding>> FraudRatesAsync(LoanHubDbContext db, DateTimeOffset now, decimal percent, CancellationToken cancellationToken)
    {
        var since = now - TimeSpan.FromHours(1);
        var counts = await db.Applications.AsNoTracking().Where(a => a.ReceivedAt >= since)
            .GroupBy(a => a.SourceId)
            .Select(g => new { g.Key, Applicants = g.Count(), Flagged = g.Count(a => a.HasFraudSignals) })
            .ToListAsync(cancellationToken);
        var noisy = counts.Where(c => c.Applicants >= AlertDefaults.MinApplicantsForFraudRate && 100m * c.Flagged / c.Applicants >= percent).ToList();
        if (noisy.Count == 0) return [];
        var sources = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        return noisy.Where(c => sources.ContainsKey(c.Key)).Select(c => new AlertFinding(AlertKind.SourceFraudRate, sources[c.Key].Code, sources[c.Key].Name,
            decimal.Round(100m * c.Flagged / c.Applicants, 1), percent));
    }

    private static async Task<IEnumerable<AlertFinding>> DeliveryErrorsAsync(LoanHubDbContext db, List<Lender> lenders, DateTimeOffset now, TimeSpan window,
        decimal percent, CancellationToken cancellationToken)
    {
        if (!lenders.Any(l => l.IsPush)) return [];
        var recent = await RecentAttempts.EndedAsync(db, now, window, cancellationToken);
        var found = new List<AlertFinding>();
        foreach (var lender in lenders)
        {
            var health = LenderHealth.Of(recent.Where(a => a.LenderId == lender.Id).Select(AttemptSample.Of), now, window);
            if (health.Attempts < AlertDefaults.MinAttemptsForErrorRate || health.FailureRate is not { } rate) continue;
            var rounded = decimal.Round(100m * (decimal)rate, 1);
            if (rounded >= percent) found.Add(new AlertFinding(AlertKind.DeliveryErrors, lender.Code, lender.Name, rounded, percent));
        }
        return found;
    }
}
