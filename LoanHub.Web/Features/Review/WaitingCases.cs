using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Review;

/// <summary>Where a waiting case stands against the review SLA.</summary>
public enum SlaStanding
{
    Within,
    /// <summary>Three quarters of the SLA or more has gone: decide it soon.</summary>
    Near,
    Past,
}

/// <summary>The review cases still waiting for a decision (open or claimed): one rule for the queue, the dashboard and the SLA alert.</summary>
public static class WaitingCases
{
    public static IQueryable<ReviewCase> Of(LoanHubDbContext db) =>
        db.ReviewCases.AsNoTracking().Where(r => r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed);

    /// <summary>When the oldest waiting case was opened; null when none waits.</summary>
    public static Task<DateTimeOffset?> OldestAsync(LoanHubDbContext db, CancellationToken cancellationToken = default) =>
        Of(db).OrderBy(r => r.OpenedAt).Select(r => (DateTimeOffset?)r.OpenedAt).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// How long a case may wait: the review-SLA alert rule's threshold as an admin tuned it, or its default. One figure
    /// for the alert and for the colours the queue and the case page give a case's age (whether or not the alert is on).
    /// </summary>
    public static async Task<TimeSpan> SlaAsync(LoanHubDbContext db, CancellationToken cancellationToken = default)
    {
        var tuned = await db.AlertRules.AsNoTracking().Where(r => r.Kind == AlertKind.ReviewSla).Select(r => r.Threshold).FirstOrDefaultAsync(cancellationToken);
        return TimeSpan.FromHours((double)(tuned ?? AlertDefaults.ThresholdOf(AlertKind.ReviewSla)!.Value));
    }

    public static SlaStanding Standing(TimeSpan waited, TimeSpan sla) =>
        waited >= sla ? SlaStanding.Past : waited.Ticks * 4 >= sla.Ticks * 3 ? SlaStanding.Near : SlaStanding.Within;
}
