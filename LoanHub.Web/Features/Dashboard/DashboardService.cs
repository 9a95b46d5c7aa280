using LoanHub.Core.Domain;
using LoanHub.Web.Data;
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

internal sealed record StatusBucket(long Bucket, string Status, int Count);

/// <summary>A lender's share of routed leads in the window against the share its active product weights aim for.</summary>
public sealed record LenderShare(string LenderCode, string LenderName, int Leads, double ActualShare, double TargetShare);

/// <summary>How many of a source's applicants raised any fraud signal in the window.</summary>
public sealed record SourceFraudRate(string SourceCode, string SourceName, int Applicants, int Flagged)
{
    public double Rate => Applicants == 0 ? 0 : (double)Flagged / Applicants;
}

internal sealed record SourceSignalRow(Guid SourceId, int Applicants, int Flagged);

public sealed record DailyCount(DateOnly Day, int Routed, int Other);

/// <summary>The figures of the dashboard, straight from the store. Days are China Standard Time (UTC+8) business days.</summary>
public sealed class DashboardService(IDbContextFactory<LoanHubDbContext> contexts, TimeProvider clock)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public async Task<DashboardSnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().ToOffset(ChinaOffset);
        var todayStart = new DateTimeOffset(now.Date, ChinaOffset);
        var windowStart = todayStart.AddDays(-29);

        // Instants are stored as UTC ticks, so whole days since the window start are plain integer division in SQL.
        var startTicks = windowStart.UtcTicks;
        var perDayAndStatus = (await db.Database.SqlQuery<StatusBucket>($"""
                SELECT ("ReceivedAt" - {startTicks}) / {TimeSpan.TicksPerDay} AS "Bucket", "Status", COUNT(*) AS "Count"
                FROM "Applications" WHERE "ReceivedAt" >= {startTicks}
                GROUP BY ("ReceivedAt" - {startTicks}) / {TimeSpan.TicksPerDay}, "Status"
                """).ToListAsync(cancellationToken))
            .Select(x => new { x.Bucket, Status = Enum.Parse<ApplicationStatus>(x.Status), x.Count })
            .ToList();

        var todayBucket = 29;
        var today = perDayAndStatus.Where(x => x.Bucket == todayBucket).GroupBy(x => x.Status).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var window = perDayAndStatus.GroupBy(x => x.Status).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var perDay = Enumerable.Range(0, 30).Select(i => new DailyCount(
            DateOnly.FromDateTime(windowStart.AddDays(i).DateTime),
            perDayAndStatus.Where(x => x.Bucket == i && x.Status == ApplicationStatus.Routed).Sum(x => x.Count),
            perDayAndStatus.Where(x => x.Bucket == i && x.Status != ApplicationStatus.Routed).Sum(x => x.Count))).ToList();

        var openReviews = db.ReviewCases.Where(r => r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed);
        return new DashboardSnapshot(
            today,
            window,
            perDay,
            await db.Lenders.CountAsync(l => l.IsActive, cancellationToken),
            await db.Products.CountAsync(p => p.IsActive, cancellationToken),
            await db.Sources.CountAsync(cancellationToken),
            await openReviews.CountAsync(cancellationToken),
            await openReviews.OrderBy(r => r.OpenedAt).Select(r => (DateTimeOffset?)r.OpenedAt).FirstOrDefaultAsync(cancellationToken),
            await db.CommissionEntries.Where(e => e.OccurredAt >= windowStart).SumAsync(e => e.Amount, cancellationToken),
            await LenderSharesAsync(db, windowStart, cancellationToken),
            await SourceFraudRatesAsync(db, startTicks, cancellationToken));
    }

    private static async Task<IReadOnlyList<LenderShare>> LenderSharesAsync(LoanHubDbContext db, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        var leads = await db.Allocations.AsNoTracking().Where(a => a.AllocatedAt >= windowStart)
            .GroupBy(a => a.LenderId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var total = leads.Sum(l => l.Count);
        var weights = lenders.ToDictionary(l => l.Id, l => l.IsActive ? l.Products.Where(p => p.IsActive).Sum(p => p.Limits.Weight) : 0);
        var totalWeight = weights.Values.Sum();
        return [.. lenders
            .Select(l => new LenderShare(l.Code, l.Name, leads.FirstOrDefault(x => x.Key == l.Id)?.Count ?? 0,
                total == 0 ? 0 : (double)(leads.FirstOrDefault(x => x.Key == l.Id)?.Count ?? 0) / total,
                totalWeight == 0 ? 0 : (double)weights[l.Id] / totalWeight))
            .OrderByDescending(s => s.Leads).ThenBy(s => s.LenderCode)];
    }

    private static async Task<IReadOnlyList<SourceFraudRate>> SourceFraudRatesAsync(LoanHubDbContext db, long startTicks, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<SourceSignalRow>($"""
            SELECT "SourceId", COUNT(*) AS "Applicants", SUM(CASE WHEN "HasFraudSignals" THEN 1 ELSE 0 END) AS "Flagged"
            FROM "Applications" WHERE "ReceivedAt" >= {startTicks}
            GROUP BY "SourceId"
            """).ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().ToListAsync(cancellationToken);
        return [.. sources
            .Select(s => rows.FirstOrDefault(r => r.SourceId == s.Id.Value) is { } row
                ? new SourceFraudRate(s.Code, s.Name, row.Applicants, row.Flagged)
                : new SourceFraudRate(s.Code, s.Name, 0, 0))
            .OrderBy(s => s.SourceCode)];
    }
}
