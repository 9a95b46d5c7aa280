using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Data.Counters;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Dashboard;

public sealed record DashboardSnapshot(
    IReadOnlyDictionary<ApplicationStatus, int> Today,
    IReadOnlyDictionary<ApplicationStatus, int> Last30Days,
    IReadOnlyList<DailyCount> PerDay,
    int ActiveLenders,
    int ActiveProducts,
    int Sources,
    int OpenReviewCases,
    DateTimeOffset? OldestOpenReview,
    decimal Commission30Days,
    IReadOnlyList<LenderShare> LenderShares,
    IReadOnlyList<SourceFraudRate> SourceFraudRates)
{
    public int TodayTotal => Today.Values.Sum();
    public int Last30DaysTotal => Last30Days.Values.Sum();
    public int Count(IReadOnlyDictionary<ApplicationStatus, int> counts, ApplicationStatus status) => counts.GetValueOrDefault(status);
}

/// <summary>A lender's share of routed leads in the window against the share its active product weights aim for.</summary>
public sealed record LenderShare(string LenderCode, string LenderName, int Leads, double ActualShare, double TargetShare);

/// <summary>How many of a source's applicants raised any fraud signal in the window.</summary>
public sealed record SourceFraudRate(string SourceCode, string SourceName, int Applicants, int Flagged)
{
    public double Rate => Applicants == 0 ? 0 : (double)Flagged / Applicants;
}

public sealed record DailyCount(DateOnly Day, int Routed, int Other);

/// <summary>
/// The figures of the dashboard. Days are China Standard Time (UTC+8) business days. Counts come from the daily
/// counters the store keeps as it saves (<see cref="DailyApplicationCount"/>, <see cref="DailyLenderCount"/>): a month
/// is a few hundred rows whether the store holds a thousand applicants or ten million.
/// </summary>
public sealed class DashboardService(IDbContextFactory<LoanHubDbContext> contexts, TimeProvider clock)
{
    public async Task<DashboardSnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var today = BusinessDay.Of(clock.GetUtcNow());
        var firstDay = today.AddDays(-29);
        var applicants = await db.DailyApplicationCounts.AsNoTracking().Where(c => c.Day >= firstDay).ToListAsync(cancellationToken);
        var leads = await db.DailyLenderCounts.AsNoTracking().Where(c => c.Day >= firstDay).ToListAsync(cancellationToken);

        var perDay = Enumerable.Range(0, 30).Select(firstDay.AddDays).Select(day => new DailyCount(day,
            applicants.Where(c => c.Day == day && c.Status == ApplicationStatus.Routed).Sum(c => c.Applicants),
            applicants.Where(c => c.Day == day && c.Status != ApplicationStatus.Routed).Sum(c => c.Applicants))).ToList();
        var openReviews = db.ReviewCases.Where(r => r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed);
        return new DashboardSnapshot(
            ByStatus(applicants.Where(c => c.Day == today)),
            ByStatus(applicants),
            perDay,
            await db.Lenders.CountAsync(l => l.IsActive, cancellationToken),
            await db.Products.CountAsync(p => p.IsActive, cancellationToken),
            await db.Sources.CountAsync(cancellationToken),
            await openReviews.CountAsync(cancellationToken),
            await openReviews.OrderBy(r => r.OpenedAt).Select(r => (DateTimeOffset?)r.OpenedAt).FirstOrDefaultAsync(cancellationToken),
            leads.Sum(c => c.Commission),
            await LenderSharesAsync(db, leads, cancellationToken),
            await SourceFraudRatesAsync(db, applicants, cancellationToken));
    }

    private static Dictionary<ApplicationStatus, int> ByStatus(IEnumerable<DailyApplicationCount> counts) => counts
        .GroupBy(c => c.Status).Where(g => g.Sum(c => c.Applicants) != 0).ToDictionary(g => g.Key, g => g.Sum(c => c.Applicants));

    private static async Task<IReadOnlyList<LenderShare>> LenderSharesAsync(LoanHubDbContext db, List<DailyLenderCount> counts, CancellationToken cancellationToken)
    {
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        var leads = counts.GroupBy(c => c.LenderId).ToDictionary(g => g.Key, g => g.Sum(c => c.Leads));
        var total = leads.Values.Sum();
        var weights = lenders.ToDictionary(l => l.Id, l => l.IsActive ? l.Products.Where(p => p.IsActive).Sum(p => p.Limits.Weight) : 0);
        var totalWeight = weights.Values.Sum();
        return [.. lenders
            .Select(l => new LenderShare(l.Code, l.Name, leads.GetValueOrDefault(l.Id),
                total == 0 ? 0 : (double)leads.GetValueOrDefault(l.Id) / total,
                totalWeight == 0 ? 0 : (double)weights[l.Id] / totalWeight))
            .OrderByDescending(s => s.Leads).ThenBy(s => s.LenderCode)];
    }

    private static async Task<IReadOnlyList<SourceFraudRate>> SourceFraudRatesAsync(LoanHubDbContext db, List<DailyApplicationCount> counts, CancellationToken cancellationToken)
    {
        var sources = await db.Sources.AsNoTracking().ToListAsync(cancellationToken);
        var bySource = counts.ToLookup(c => c.SourceId);
        return [.. sources
            .Select(s => new SourceFraudRate(s.Code, s.Name, bySource[s.Id].Sum(c => c.Applicants), bySource[s.Id].Sum(c => c.Flagged)))
            .OrderBy(s => s.SourceCode)];
    }
}
