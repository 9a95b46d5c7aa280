using System.Diagnostics;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Routing;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The routing what-if over a large store: every routed applicant of the last 90 days replayed under a proposal
/// (one product's weight doubled), as the routing page runs it, on a store of 100,000 and one of 1,000,000
/// applications, twice on each: the first run pays for compiling the code (as the first what-if after a start does), the
/// second is what an operator trying proposals one after another waits for. Prints the time, the CPU used, the process's
/// peak working set during the replay, and the ratio large/small of the second runs.
/// Target: ≤ 5 s and ≤ 1 GB peak at 1,000,000.
///   dotnet run -c Release --project LoanHub.Benchmarks -- whatif [large=1000000]
/// </summary>
internal static class WhatIfAtScale
{
    private const double TargetSeconds = 5;
    private const long TargetPeakBytes = 1L << 30;

    public static async Task RunAsync(string[] args)
    {
        var large = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var small = await MeasureAsync(large / 10);
        var big = await MeasureAsync(large);
        Console.WriteLine();
        Console.WriteLine($"what-if over {big.Replayed:N0} routed applicants: {big.Seconds:F2} s, peak working set {big.PeakBytes / 1_048_576.0:N0} MiB " +
                          $"(at {large / 10:N0}: {small.Seconds:F2} s, {small.PeakBytes / 1_048_576.0:N0} MiB; ratio {big.Seconds / small.Seconds:F1}x the time for {(double)big.Replayed / small.Replayed:F1}x the applicants)");
        Console.WriteLine($"first run after start (compiling as it goes): {big.FirstSeconds:F2} s at {large:N0}, {small.FirstSeconds:F2} s at {large / 10:N0}");
        var met = big.Seconds <= TargetSeconds && big.PeakBytes <= TargetPeakBytes;
        Console.WriteLine($"target (≤ {TargetSeconds:F0} s and ≤ {TargetPeakBytes >> 20:N0} MiB peak at {large:N0}): {(met ? "met" : "NOT met")}");
    }

    private sealed record Figures(int Replayed, double Seconds, long PeakBytes, double FirstSeconds);

    private static async Task<Figures> MeasureAsync(int size)
    {
        await using var store = await LargeStore.CreateAsync(size);
        var routing = store.Host.Services.GetRequiredService<RoutingService>();
        var view = await routing.LoadAsync();
        var doubled = view.Products.First(p => p.Active);
        var proposal = new RoutingProposal(view.Strategy, [.. view.Products.Select(p => p.ProductId == doubled.ProductId ? p with { Weight = p.Weight * 2 } : p)]);
        var windowEnd = DateTimeOffset.UtcNow.AddMinutes(1);
        var windowStart = windowEnd.AddDays(-91);

        var first = await RunOnceAsync(size, routing, proposal, windowStart, windowEnd, doubled);
        var second = await RunOnceAsync(size, routing, proposal, windowStart, windowEnd, doubled);
        return second with { FirstSeconds = first.Seconds };
    }

    private static async Task<Figures> RunOnceAsync(int size, RoutingService routing, RoutingProposal proposal, DateTimeOffset windowStart,
        DateTimeOffset windowEnd, ProductSetting doubled)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var peak = new PeakWorkingSet();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var heap = HeapWork.Start();
        var clock = Stopwatch.StartNew();
        var replayFrom = TimeSpan.Zero;
        var stages = new StageClock(clock, () => replayFrom, at => replayFrom = at);
        var result = (await routing.SimulateAsync(proposal, windowStart, windowEnd, stages, CancellationToken.None)).Result;
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var heapWork = heap.Stop(result.Replayed);
        var figures = new Figures(result.Replayed, clock.Elapsed.TotalSeconds, peak.Stop(), 0);
        Console.WriteLine($"store of {size:N0}: replayed {result.Replayed:N0} routed applicants in {figures.Seconds:F2} s, peak working set {figures.PeakBytes / 1_048_576.0:N0} MiB " +
                          $"({peak.DescribeBefore()}; preparing {replayFrom.TotalSeconds:F2} s, reading and replaying {(clock.Elapsed - replayFrom).TotalSeconds:F2} s; " +
                          $"CPU {cpu.TotalSeconds:F2} s, {cpu.TotalMicroseconds / Math.Max(1, result.Replayed):F1} µs per applicant; {heapWork}); {doubled.LenderCode}/{doubled.ProductCode} at double weight: " +
                          $"{result.Products.Single(p => p.ProductId == doubled.ProductId).SimulatedLeads:N0} leads instead of {result.Products.Single(p => p.ProductId == doubled.ProductId).ActualLeads:N0}");
        if (result.Replayed < size / 4) throw new InvalidOperationException($"only {result.Replayed:N0} of {size:N0} applicants were replayed: the benchmark would measure too little.");
        return figures;
    }

    /// <summary>Notes when the replay starts (its first progress report), so the time splits into preparing (limits, allocations, catalog) and the replay as the store is read.</summary>
    private sealed class StageClock(Stopwatch clock, Func<TimeSpan> started, Action<TimeSpan> start) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value)
        {
            if (value.Stage == "Replaying" && started() == TimeSpan.Zero) start(clock.Elapsed);
        }
    }

    /// <summary>Samples the process's working set every 10 ms until stopped: the peak of one operation, not of the process's life.</summary>
    internal sealed class PeakWorkingSet : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<long> sampler;

        public PeakWorkingSet()
        {
            using var self = Process.GetCurrentProcess();
            Before = self.WorkingSet64;
            ManagedBefore = GC.GetTotalMemory(forceFullCollection: false);
            sampler = Task.Run(async () =>
            {
                var peak = Before;
                using var process = Process.GetCurrentProcess();
                while (!stop.IsCancellationRequested)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                    try { await Task.Delay(10, stop.Token); } catch (OperationCanceledException) { }
                }
                return peak;
            });
        }

        public long Before { get; }

        /// <summary>Of <see cref="Before"/>, the live managed heap: what the app holds (the engine's fraud index over the store among it).</summary>
        public long ManagedBefore { get; }

        /// <summary>"before: N MiB, M MiB of it managed heap".</summary>
        public string DescribeBefore() => $"before: {Before / 1_048_576.0:N0} MiB, {ManagedBefore / 1_048_576.0:N0} MiB of it managed heap";

        public long Stop()
        {
            stop.Cancel();
            return sampler.GetAwaiter().GetResult();
        }

        public void Dispose() => stop.Dispose();
    }
}
