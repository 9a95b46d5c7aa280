using LoanHub.Core.Delivery;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Delivery;

/// <summary>The delivery attempts that ended lately, as the dashboard's health tile and the delivery-errors alert both count them.</summary>
public static class RecentAttempts
{
    /// <summary>Attempts that ended in one of these can be the start of a delivery that left its application unmatched.</summary>
    public static readonly AttemptOutcome[] Unsuccessful = [AttemptOutcome.Refused, AttemptOutcome.TimedOut, AttemptOutcome.Failed, AttemptOutcome.Abandoned];

    public static readonly AttemptOutcome[] Ended = [AttemptOutcome.Accepted, .. Unsuccessful];

    /// <summary>
    /// The attempts that may have ended within <paramref name="window"/> before <paramref name="now"/>, on their
    /// (Outcome, CreatedAt) index. An attempt counts by when it ended, so the read reaches one window further back for
    /// attempts that began earlier; <see cref="LenderHealth.Of"/> keeps those that ended in the window.
    /// </summary>
    public static Task<List<DeliveryAttempt>> EndedAsync(LoanHubDbContext db, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var from = now - 2 * window;
        return db.DeliveryAttempts.AsNoTracking().Where(a => Ended.Contains(a.Outcome) && a.CreatedAt > from).ToListAsync(cancellationToken);
    }
}
