using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Cluster;

/// <summary>
/// Keeps this instance's <see cref="WriterInstance"/> row alive on a shared PostgreSQL store: renewed every
/// <see cref="Beat"/>, removed at a clean stop. Each beat is <see cref="Beaten"/>, for the writer to catch up and take
/// over the deliveries of instances not seen for <see cref="Lease"/> (ADR 0013). Does nothing on SQLite.
/// </summary>
internal sealed class ClusterMembership(IDbContextFactory<LoanHubDbContext> contexts, WriterTurns turns, TimeProvider clock, ILogger<ClusterMembership> logger)
    : BackgroundService
{
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(2);

    /// <summary>How long an instance unseen still counts as alive: five beats, so a busy machine is not declared dead.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    /// <summary>Raised after each beat, from the membership's thread; handlers must be quick and never throw.</summary>
    public event Action? Beaten;

    /// <summary>The instances seen within the lease, this one included once it has beaten.</summary>
    public static async Task<List<string>> AliveAsync(LoanHubDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - Lease;
        return await db.WriterInstances.AsNoTracking().Where(i => i.SeenAt >= since).Select(i => i.Instance).ToListAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!turns.Shared) return;
        using var timer = new PeriodicTimer(Beat);
        do
        {
            try
            {
                await RenewAsync(stoppingToken);
                Beaten?.Invoke();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Instance {Instance} could not renew its membership; trying again in {Beat}.", turns.Instance, Beat);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var me = await db.WriterInstances.SingleOrDefaultAsync(i => i.Instance == turns.Instance, cancellationToken);
        if (me is null) db.WriterInstances.Add(new WriterInstance(turns.Instance, now));
        else me.Seen(now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A clean stop: this instance's deliveries are the others' to finish at once, without waiting out the lease.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!turns.Shared) return;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.WriterInstances.Where(i => i.Instance == turns.Instance).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Instance {Instance} could not sign off; its deliveries are taken over when its lease ends.", turns.Instance);
        }
    }
}
