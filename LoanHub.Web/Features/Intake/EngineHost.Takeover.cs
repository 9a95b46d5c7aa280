using LoanHub.Core.Delivery;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Cluster;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Intake;

public sealed partial class EngineHost
{
    // Set by every load on a shared store: the deliveries left in flight are looked at by the next group, under the lock.
    private bool takeOverDue;

    /// <summary>
    /// On a shared store, under the writer lock: the deliveries in flight whose sender is gone (not seen for the lease, or
    /// signed off) — or this instance's own, which a reload dropped — are sent from here from now on, again with the
    /// same idempotency keys. A live instance's deliveries are never touched, so a lead is sent by one instance at a time.
    /// </summary>
    private async Task TakeOverAsync(LoanHubDbContext db, EngineState current, WriterUnit unit, CancellationToken cancellationToken)
    {
        takeOverDue = false;
        var me = turns.Instance;
        var alive = await ClusterMembership.AliveAsync(db, clock.GetUtcNow(), cancellationToken);
        alive.Remove(me);
        var inFlight = await db.DeliveryAttempts.AsNoTracking()
            .Where(a => a.Outcome == AttemptOutcome.InFlight && (a.Sender == null || !alive.Contains(a.Sender)))
            .ToListAsync(cancellationToken);
        var left = inFlight.Where(a => !placements.ContainsKey(a.ApplicationId)).ToList();
        if (left.Count > 0)
        {
            var gone = left.Select(a => a.Sender).Where(s => s != me).Distinct().ToList();
            var ids = left.Select(a => a.Id).ToList();
            await db.DeliveryAttempts.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(set => set.SetProperty(a => a.Sender, me), cancellationToken);
            foreach (var attempt in left) attempt.SendFrom(me);
            Resume(await EngineStateLoader.PlacementsAsync(db, left, current, cancellationToken), current, unit);
            if (gone.Count > 0)
                logger.LogWarning("Took over {Count} deliveries in flight from instances gone: {Instances}.", left.Count, string.Join(", ", gone.Select(g => g ?? "(none)")));
        }
        FailOrphans();
    }
}
