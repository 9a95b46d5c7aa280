using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

/// <summary>
/// Replays a span of stored applications in arrival order, fast enough for a million (the routing what-if, the risk
/// backtest). Reading the store is most of the work, so two readers, each on a context and thread of its own, read the two
/// halves of the span at once. The replay runs on a thread of its own too (off the circuit's, so the page stays responsive
/// and can cancel): it takes the first half as its reader hands it over, a bounded batch at a time, then the second, which
/// its reader has kept meanwhile — half a span is held in memory, never all of it.
/// </summary>
internal static class WindowReplay
{
    private const int Batch = 1024;

    /// <param name="rows">The rows received in [start, end) on the context given, in arrival order.</param>
    /// <param name="items">Turns a batch of rows into what is replayed, on its reader's thread (it may read the store on a context of its own).</param>
    /// <param name="replay">Takes every item in arrival order, on a thread of its own.</param>
    public static async Task<TResult> RunAsync<TRow, TItem, TResult>(IDbContextFactory<LoanHubDbContext> contexts, DateTimeOffset start, DateTimeOffset end,
        Func<LoanHubDbContext, DateTimeOffset, DateTimeOffset, CancellationToken, IAsyncEnumerable<TRow>> rows, Func<List<TRow>, CancellationToken, Task<TItem[]>> items,
        Func<IEnumerable<TItem>, CancellationToken, TResult> replay, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var middle = await MiddleAsync(contexts, start, end, cancellationToken);
        var first = Channel.CreateBounded<TItem[]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var second = Channel.CreateUnbounded<TItem[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reading = Task.WhenAll(
            Task.Run(() => ReadAsync(contexts, db => rows(db, start, middle, stop.Token), items, first.Writer, stop.Token), stop.Token),
            Task.Run(() => ReadAsync(contexts, db => rows(db, middle, end, stop.Token), items, second.Writer, stop.Token), stop.Token));
        var replaying = Task.Factory.StartNew(() =>
        {
            try
            {
                return replay(Consume(first.Reader, stop.Token).Concat(Consume(second.Reader, stop.Token)), stop.Token);
            }
            catch
            {
                stop.Cancel(); // the first reader must not wait for room that will never come
                throw;
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(reading, replaying);
        return await replaying;
    }

    /// <summary>
    /// The arrival time that halves the span's applications (traffic is not spread evenly over time: a store that grew,
    /// a campaign), found through the arrival-time index without reading a row.
    /// </summary>
    private static async Task<DateTimeOffset> MiddleAsync(IDbContextFactory<LoanHubDbContext> contexts, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var span = db.Applications.AsNoTracking().Where(a => a.ReceivedAt >= start && a.ReceivedAt < end);
        var count = await span.CountAsync(cancellationToken);
        if (count < 2) return end;
        return await span.OrderBy(a => a.ReceivedAt).Select(a => a.ReceivedAt).Skip(count / 2).FirstAsync(cancellationToken);
    }

    private static async Task ReadAsync<TRow, TItem>(IDbContextFactory<LoanHubDbContext> contexts, Func<LoanHubDbContext, IAsyncEnumerable<TRow>> query,
        Func<List<TRow>, CancellationToken, Task<TItem[]>> items, ChannelWriter<TItem[]> handOver, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var read = new List<TRow>(Batch);
            await foreach (var row in query(db).WithCancellation(cancellationToken))
            {
                read.Add(row);
                if (read.Count < Batch) continue;
                await handOver.WriteAsync(await items(read, cancellationToken), cancellationToken);
                read.Clear();
            }
            if (read.Count > 0) await handOver.WriteAsync(await items(read, cancellationToken), cancellationToken);
            handOver.Complete();
        }
        catch (Exception error)
        {
            handOver.Complete(error);
            throw;
        }
    }

    /// <summary>The items as a reader hands them over, waiting for each batch: the replay runs on a thread of its own.</summary>
    private static IEnumerable<TItem> Consume<TItem>(ChannelReader<TItem[]> handOver, CancellationToken cancellationToken)
    {
        while (handOver.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            while (handOver.TryRead(out var batch))
                foreach (var item in batch) yield return item;
    }
}
