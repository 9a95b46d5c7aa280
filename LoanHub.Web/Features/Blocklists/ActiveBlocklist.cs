using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Cluster;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Blocklists;

/// <summary>
/// The writer's snapshot of the active blocklist. A block or a lift calls <see cref="Changed"/>; the writer's next group
/// reads the active entries again (a few rows, never the history) and swaps the snapshot in, like the catalog (ADR 0008).
/// </summary>
public sealed class ActiveBlocklist
{
    private readonly IDbContextFactory<LoanHubDbContext> contexts;
    private readonly TimeProvider clock;
    private readonly ClusterSignals signals;
    private int generation;
    private int loadedGeneration = -1;
    private Blocklist current = Blocklist.Empty;

    public ActiveBlocklist(IDbContextFactory<LoanHubDbContext> contexts, TimeProvider clock, ClusterSignals signals)
    {
        this.contexts = contexts;
        this.clock = clock;
        this.signals = signals;
        // Another instance's block or lift (and this one's own, back again: harmless).
        signals.Received += signal =>
        {
            if (signal == ClusterSignal.Blocklist) Interlocked.Increment(ref generation);
        };
    }

    /// <summary>An entry was added or lifted: the next application, on every instance, is matched against the store's entries.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref generation);
        signals.Publish(ClusterSignal.Blocklist);
    }

    /// <summary>The snapshot to decide on; only the writer calls it, under its gate.</summary>
    internal async Task<Blocklist> CurrentAsync(CancellationToken cancellationToken)
    {
        // Read before loading, so a change made while the load runs is loaded by the next group.
        var wanted = Volatile.Read(ref generation);
        if (wanted == loadedGeneration) return current;
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = await db.Blocklist.AsNoTracking().Where(e => e.LiftedAt == null && e.Until > now)
            .Select(e => new BlockedKey(e.Id, e.Kind, e.KeyHash, e.Until)).ToListAsync(cancellationToken);
        current = new Blocklist(keys);
        loadedGeneration = wanted;
        return current;
    }
}
