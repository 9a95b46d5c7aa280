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
    decimal Commission30Days)
{
    public int TodayTotal => Today.Values.Sum();
    public int Last30DaysTotal => Last30Days.Values.Sum();
    public int Count(IReadOnlyDictionary<ApplicationStatus, int> counts, ApplicationStatus status) => counts.GetValueOrDefault(status);
}

internal sealed record StatusBucket(long Bucket, string Status, int Count);

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
            await db.CommissionEntries.Where(e => e.OccurredAt >= windowStart).SumAsync(e => e.Amount, cancellationToken));
    }
}
