using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Data.Counters;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Delivery;
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
    IReadOnlyList<SourceFraudRate> SourceFraudRates,
    UnmatchedBreakdown UnmatchedToday,
    UnmatchedBreakdown Unmatched30Days,
    DeliveryHealth DeliveryHealth,
    RoutingStrategy Strategy)
{
    /// <summary>Only weights aim for shares: under Priority, ExpectedValue and Auction each applicant goes to the first, the best or the highest bidder.</summary>
    public bool HasTargetShares => Strategy == RoutingStrategy.Weighted;

    public int TodayTotal => Today.Values.Sum();
    public int Last30DaysTotal => Last30Days.Values.Sum();
    public int Count(IReadOnlyDictionary<ApplicationStatus, int> counts, ApplicationStatus status) => counts.GetValueOrDefault(status);
}

/// <summary>
/// A lender's share of routed leads in the window, and the share its active product weights aim for: meaningful only
/// under the Weighted strategy (<see cref="DashboardSnapshot.HasTargetShares"/>), where weights decide who gets a lead.
/// </summary>
public sealed record LenderShare(string LenderCode, string LenderName, int Leads, double ActualShare, double TargetShare);

/// <summary>How many of a source's applicants raised any fraud signal in the window.</summary>
public sealed record SourceFraudRate(string SourceCode, string SourceName, int Applicants, int Flagged)
{
    public double Rate => Applicants == 0 ? 0 : (double)Flagged / Applicants;
}

public sealed record DailyCount(DateOnly Day, int Routed, int Other);

/// <summary>The unmatched applicants of a period by why no lender took them.</summary>
public sealed record UnmatchedBreakdown(int NoEligibleProduct, int RefusedByAll, int Deadline)
{
    public int Total => NoEligibleProduct + RefusedByAll + Deadline;

    public int Of(UnmatchedCause cause) => cause switch
    {
        UnmatchedCause.NoEligibleProduct => NoEligibleProduct,
        UnmatchedCause.RefusedByAll => RefusedByAll,
        _ => Deadline,
    };
}

/// <summary>A lender the system paused because its endpoint kept failing, until an operator resumes it.</summary>
public sealed record PausedLender(string LenderCode, string LenderName, string Reason);

/// <summary>
/// How deliveries to push lenders went over the last <paramref name="WindowMinutes"/> minutes, all lenders together
/// (<see cref="LenderHealth"/>), and which lenders the system has paused.
/// </summary>
public sealed record DeliveryHealth(IReadOnlyList<PausedLender> AutoPaused, int PushLenders, int WindowMinutes, LenderHealth Recent);

/// <summary>
/// The figures of the dashboard. Days are China Standard Time (UTC+8) business days. Counts come from the daily
/// counters the store keeps as it saves (<see cref="DailyApplicationCount"/>, <see cref="DailyLenderCount"/>): a month
/// is a few hundred rows whether the store holds a thousand applicants or ten million. Lender health reads the last
/// half hour of delivery attempts; unmatched causes read only what the counters cannot tell (see <c>UnmatchedAsync</c>).
/// </summary>
public sealed class DashboardService(IDbContextFactory<LoanHubDbContext> contexts, DeliveryOptions deliveryOptions, TimeProvider clock)
{
    public async Task<DashboardSnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var today = BusinessDay.Of(now);
        var firstDay = today.AddDays(-29);
        var applicants = await db.DailyApplicationCounts.AsNoTracking().Where(c => c.Day >= firstDay).ToListAsync(cancellationToken);
        var leads = await db.DailyLenderCounts.AsNoTracking().Where(c => c.Day >= firstDay).ToListAsync(cancellationToken);

        var perDay = Enumerable.Range(0, 30).Select(firstDay.AddDays).Select(day => new DailyCount(day,
            applicants.Where(c => c.Day == day && c.Status == ApplicationStatus.Routed).Sum(c => c.Applicants),
            applicants.Where(c => c.Day == day && c.Status != ApplicationStatus.Routed).Sum(c => c.Applicants))).ToList();
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        var (unmatchedToday, unmatched30Days) = await UnmatchedAsync(db, applicants, today, firstDay, cancellationToken);
        return new DashboardSnapshot(
            ByStatus(applicants.Where(c => c.Day == today)),
            ByStatus(applicants),
            perDay,
            await db.Lenders.CountAsync(l => l.IsActive, cancellationToken),
            await db.Products.CountAsync(p => p.IsActive, cancellationToken),
            await db.Sources.CountAsync(cancellationToken),
            await Review.WaitingCases.Of(db).CountAsync(cancellationToken),
            await Review.WaitingCases.OldestAsync(db, cancellationToken),
            leads.Sum(c => c.Commission),
            LenderShares(lenders, leads),
            await SourceFraudRatesAsync(db, applicants, cancellationToken),
            unmatchedToday,
            unmatched30Days,
            await DeliveryHealthAsync(db, lenders, now, cancellationToken),
            await db.RoutingPolicies.Where(p => p.IsActive).OrderByDescending(p => p.Version).Select(p => (RoutingStrategy?)p.Strategy)
                .FirstOrDefaultAsync(cancellationToken) ?? RoutingStrategy.Weighted);
    }

    /// <summary>
    /// Unmatched applicants today and over the 30 days, by cause. The counters give how many are unmatched; only the
    /// causes a delivery leaves (refused by all, deadline) are read, and the rest had no eligible product (as had every
    /// application unmatched before deliveries existed). No index holds the cause, so those are read from whichever set
    /// of applications is smaller: the ones behind unsuccessful attempts in the window (every application a delivery
    /// left unmatched had a first attempt, and it did not succeed), or all unmatched ones in the window. Without push
    /// lenders that is nothing at all; at worst it is the unmatched applications of the window on their status index.
    /// </summary>
    private static async Task<(UnmatchedBreakdown Today, UnmatchedBreakdown Last30Days)> UnmatchedAsync(LoanHubDbContext db,
        List<DailyApplicationCount> counts, DateOnly today, DateOnly firstDay, CancellationToken cancellationToken)
    {
        var since = ChinaTime.StartOf(firstDay);
        var unmatched = counts.Where(c => c.Status == ApplicationStatus.Unmatched).Sum(c => c.Applicants);
        var unsuccessful = db.DeliveryAttempts.Where(a => RecentAttempts.Unsuccessful.Contains(a.Outcome) && a.CreatedAt >= since);
        // Counted on the (Outcome, CreatedAt) index alone.
        var unsuccessfulAttempts = unmatched == 0 ? 0 : await unsuccessful.CountAsync(cancellationToken);

        var todayStart = ChinaTime.StartOf(today);
        var byDelivery = new List<(bool Today, UnmatchedCause Cause, int Applicants)>();
        if (unsuccessfulAttempts > 0)
        {
            var firstUnsuccessful = unsuccessful.Where(a => a.Sequence == 1).Select(a => a.ApplicationId);
            // Behind the attempts, only the key and the cause are tested (the cause is set on unmatched applications
            // alone): with the status or the received time as well, SQLite might walk their indexes instead.
            var candidates = unsuccessfulAttempts <= unmatched
                ? db.Applications.Where(a => firstUnsuccessful.Contains(a.Id))
                : db.Applications.Where(a => a.Status == ApplicationStatus.Unmatched && a.ReceivedAt >= since);
            var counted = await candidates
                .Where(a => a.UnmatchedCause == UnmatchedCause.RefusedByAll || a.UnmatchedCause == UnmatchedCause.Deadline)
                // Received before the window (released from review in it): not in the counters' days, so not counted.
                .GroupBy(a => new { a.UnmatchedCause, Period = a.ReceivedAt < since ? 0 : a.ReceivedAt < todayStart ? 1 : 2 })
                .Select(g => new { g.Key.UnmatchedCause, g.Key.Period, Applicants = g.Count() })
                .ToListAsync(cancellationToken);
            byDelivery = [.. counted.Where(c => c.Period > 0).Select(c => (c.Period == 2, c.UnmatchedCause!.Value, c.Applicants))];
        }

        UnmatchedBreakdown Breakdown(IEnumerable<DailyApplicationCount> days, IEnumerable<(bool Today, UnmatchedCause Cause, int Applicants)> delivery)
        {
            var refused = delivery.Where(d => d.Cause == UnmatchedCause.RefusedByAll).Sum(d => d.Applicants);
            var deadline = delivery.Where(d => d.Cause == UnmatchedCause.Deadline).Sum(d => d.Applicants);
            var total = days.Where(c => c.Status == ApplicationStatus.Unmatched).Sum(c => c.Applicants);
            return new UnmatchedBreakdown(Math.Max(0, total - refused - deadline), refused, deadline);
        }

        return (Breakdown(counts.Where(c => c.Day == today), byDelivery.Where(d => d.Today)), Breakdown(counts, byDelivery));
    }

    /// <summary>
    /// The lenders the system paused, and how all deliveries went over the health window, counted by the one rule of
    /// <see cref="LenderHealth"/>. Reads the recent attempts on their (Outcome, CreatedAt) index; an attempt counts by when
    /// it ended, so the read reaches one window further back for attempts that began earlier.
    /// </summary>
    private async Task<DeliveryHealth> DeliveryHealthAsync(LoanHubDbContext db, List<Lender> lenders, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMinutes(Math.Max(1, deliveryOptions.HealthWindowMinutes));
        var recent = await RecentAttempts.EndedAsync(db, now, window, cancellationToken);
        var paused = lenders.Where(l => l.AutoPausedReason is not null).OrderBy(l => l.Code)
            .Select(l => new PausedLender(l.Code, l.Name, l.AutoPausedReason!)).ToList();
        return new DeliveryHealth(paused, lenders.Count(l => l.IsPush), (int)window.TotalMinutes,
            LenderHealth.Of(recent.Select(AttemptSample.Of), now, window));
    }

    private static Dictionary<ApplicationStatus, int> ByStatus(IEnumerable<DailyApplicationCount> counts) => counts
        .GroupBy(c => c.Status).Where(g => g.Sum(c => c.Applicants) != 0).ToDictionary(g => g.Key, g => g.Sum(c => c.Applicants));

    private static IReadOnlyList<LenderShare> LenderShares(List<Lender> lenders, List<DailyLenderCount> counts)
    {
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
