using System.Diagnostics;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Cluster;

/// <summary>
/// Serialises the writers of every instance on one PostgreSQL store (ADR 0013): a group's transaction first takes the
/// writer lock (a transaction-scoped advisory lock, released by its commit or rollback, or by the death of its
/// connection), applies the turns the other instances committed since this one's last, decides, and records its own
/// turn. On SQLite there is one instance and nothing to take.
/// </summary>
internal sealed class WriterTurns(StoreConnection store, TimeProvider clock, ILogger<WriterTurns> logger)
{
    // pg_advisory_xact_lock's key: any constant no other lock of LoanHub's uses (the start-up lock is another).
    private const long WriterLockKey = 0x4C48_5752; // "LHWR"

    /// <summary>How long turns are kept for instances to catch up; one away longer loads its state from the store again.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(1);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(5);
    private DateTimeOffset nextPrune;

    // What the lock costs the cluster: how long this instance held it, for how many groups and decisions, reported
    // every ReportEvery (docs/SCALING.md). Only the writer, under its gate, touches these.
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);
    private long lockedAt;
    private long heldTicks;
    private int heldGroups;
    private int heldDecisions;
    private long reportedAt = Stopwatch.GetTimestamp();

    public bool Shared => !store.IsSqlite;

    /// <summary>This process, as its turns name it.</summary>
    public string Instance { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The last turn committed, read in the snapshot a state is loaded from.</summary>
    public async Task<long> LastAsync(LoanHubDbContext db, CancellationToken cancellationToken) =>
        Shared ? await db.WriterTurns.MaxAsync(t => (long?)t.Sequence, cancellationToken) ?? 0 : 0;

    /// <summary>
    /// Takes the writer lock in <paramref name="db"/>'s transaction and applies to <paramref name="state"/> what the
    /// others committed since its last turn; false when some of that is no longer kept (the state must be loaded again).
    /// </summary>
    public async Task<bool> TakeAsync(LoanHubDbContext db, EngineState state, CancellationToken cancellationToken)
    {
        if (!Shared) return true;
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [WriterLockKey], cancellationToken);
        lockedAt = Stopwatch.GetTimestamp();
        var missed = await db.WriterTurns.AsNoTracking().Where(t => t.Sequence > state.AppliedTurn).OrderBy(t => t.Sequence)
            .Select(t => new { t.Sequence, t.Changes }).ToListAsync(cancellationToken);
        if (missed.Count > 0 && missed[0].Sequence != state.AppliedTurn + 1)
        {
            logger.LogWarning("Writer turns {From} to {To} are no longer kept; the engine state is loaded again.", state.AppliedTurn + 1, missed[0].Sequence - 1);
            return false;
        }
        foreach (var turn in missed)
        {
            foreach (var change in StateChange.Deserialize(turn.Changes)) change.ApplyTo(state);
            state.AppliedTurn = turn.Sequence;
        }
        return true;
    }

    /// <summary>The group that took the lock committed (and so let go of it), deciding <paramref name="decisions"/> applications.</summary>
    public void Released(int decisions)
    {
        if (!Shared || lockedAt == 0) return;
        var now = Stopwatch.GetTimestamp();
        heldTicks += now - lockedAt;
        lockedAt = 0;
        heldGroups++;
        heldDecisions += decisions;
        var window = Stopwatch.GetElapsedTime(reportedAt, now);
        if (window < ReportEvery) return;
        var held = TimeSpan.FromTicks(heldTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        if (heldDecisions > 0 && logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("Writer lock held {HeldMs:0} ms of the last {WindowS:0.0} s ({Share:P0}) for {Groups} groups and {Decisions} decisions: {PerDecisionUs:0} µs a decision.",
                held.TotalMilliseconds, window.TotalSeconds, held / window, heldGroups, heldDecisions, held.TotalMicroseconds / heldDecisions);
        heldTicks = 0;
        heldGroups = 0;
        heldDecisions = 0;
        reportedAt = now;
    }

    /// <summary>Records the group's changes as the next turn, in the group's transaction; prunes old turns now and then.</summary>
    public async Task RecordAsync(LoanHubDbContext db, EngineState state, IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
    {
        if (!Shared || changes.Count == 0) return; // nothing for the others to apply
        var now = clock.GetUtcNow();
        var turn = new WriterTurn(state.AppliedTurn + 1, Instance, now, StateChange.Serialize(changes));
        db.WriterTurns.Add(turn);
        await db.SaveChangesAsync(cancellationToken);
        state.AppliedTurn = turn.Sequence; // a failed commit drops the whole state

        if (now >= nextPrune)
        {
            nextPrune = now + PruneEvery;
            var before = now - KeptFor;
            // The newest turn stays whatever its age: the next one is numbered after it.
            await db.WriterTurns.Where(t => t.CommittedAt < before && t.Sequence < turn.Sequence).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
