using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Blocklists;

/// <summary>
/// The writer's snapshot of the active blocklist. A block or a lift calls <see cref="Changed"/>; the writer's next group
/// reads the active entries again (a few rows, never the history) and swaps the snapshot in, like the catalog (ADR 0008).
/// </summary>
public sealed class ActiveBlocklist(IDbContextFactory<LoanHubDbContext> contexts, TimeProvider clock)
{
    private int generation;
    private int loadedGeneration = -1;
    private Blocklist current = Blocklist.Empty;

    /// <summary>An entry was added or lifted: the next application is matched against the store's entries.</summary>
    public void Changed() => Interlocked.Increment(ref generation);

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
