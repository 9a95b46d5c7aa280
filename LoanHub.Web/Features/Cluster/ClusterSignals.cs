using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanHub.Web.Features.Cluster;

/// <summary>What one instance tells the others through the store, so that they read it again.</summary>
public enum ClusterSignal
{
    /// <summary>The catalog, the routing policy or the risk policy changed.</summary>
    Catalog,

    /// <summary>A blocklist entry was added or lifted.</summary>
    Blocklist,

    /// <summary>A group of decisions was committed (the dashboard's live refresh).</summary>
    Decisions,

    /// <summary>A review case was claimed, released or taken over (the queue's and the case page's live refresh).</summary>
    Reviews,

    /// <summary>Alerts were raised, cleared or acknowledged (the app bar's count).</summary>
    Alerts,
}

/// <summary>
/// Tells every instance on a shared PostgreSQL store what changed, over LISTEN/NOTIFY on the channel
/// <c>loanhub</c>: a signal published on one instance is <see cref="Received"/> on all, itself included. When its
/// connection drops, the listener connects again and raises every signal once, for what it may have missed. On
/// SQLite there is one instance: a signal is received at once, in process.
/// </summary>
public sealed class ClusterSignals(StoreConnection store, ILogger<ClusterSignals> logger) : BackgroundService
{
    private const string Channel = "loanhub";
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    /// <summary>Raised for every signal, from the listener's thread; handlers must be quick and never throw.</summary>
    public event Action<ClusterSignal>? Received;

    /// <summary>
    /// Calls <paramref name="handler"/> for every signal in the execution context of the caller as it is now. A console
    /// component subscribes from its circuit, so it re-renders in its reader's culture, not in that of whoever raised the
    /// signal (another user's circuit, the alert check, the listener's thread). Dispose to stop.
    /// </summary>
    public IDisposable Subscribe(Action<ClusterSignal> handler)
    {
        var context = ExecutionContext.Capture();
        Action<ClusterSignal> inContext = context is null ? handler : signal => ExecutionContext.Run(context, _ => handler(signal), null);
        Received += inContext;
        return new Subscription(this, inContext);
    }

    private sealed class Subscription(ClusterSignals signals, Action<ClusterSignal> handler) : IDisposable
    {
        public void Dispose() => signals.Received -= handler;
    }

    /// <summary>Tells every instance; never throws (a signal lost with the store's connection is logged).</summary>
    public async Task PublishAsync(ClusterSignal signal, CancellationToken cancellationToken = default)
    {
        if (store.IsSqlite)
        {
            Raise(signal);
            return;
        }
        try
        {
            await using var connection = new NpgsqlConnection(store.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @signal)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("signal", signal.ToString());
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogError(e, "Signal {Signal} could not be sent to the other instances.", signal);
            Raise(signal); // this instance at least
        }
    }

    /// <summary>Sends the signal with <paramref name="db"/>'s transaction: the others receive it when, and only if, it commits.</summary>
    internal async Task PublishWithAsync(DbContext db, ClusterSignal signal, CancellationToken cancellationToken)
    {
        if (store.IsSqlite) return;
        await db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [Channel, signal.ToString()], cancellationToken);
    }

    /// <summary>Publishes without waiting, for callers that cannot; the outcome is logged.</summary>
    public void Publish(ClusterSignal signal) => _ = PublishAsync(signal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.IsSqlite) return;
        var connected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(store.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Enum.TryParse<ClusterSignal>(e.Payload, out var signal)) Raise(signal);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);
                if (connected)
                {
                    // What was sent while no one listened here is read again.
                    foreach (var signal in Enum.GetValues<ClusterSignal>()) Raise(signal);
                }
                connected = true;
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                logger.LogWarning(e, "The listener for other instances' changes lost its connection; connecting again.");
                await Task.Delay(Reconnect, stoppingToken);
            }
        }
    }

    private void Raise(ClusterSignal signal)
    {
        try
        {
            Received?.Invoke(signal);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A listener to signal {Signal} failed.", signal);
        }
    }
}
