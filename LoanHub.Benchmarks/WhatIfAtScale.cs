using System.Diagnostics;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Routing;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The routing what-if over a large store: every routed applicant of the last 90 days replayed under a proposal
/// (one product's weight doubled), as the routing page runs it, on a store of 100,000 and one of 1,000,000
/// applications. Prints the time, the process's peak working set during the replay, and the ratio large/small.
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
        var met = big.Seconds <= TargetSeconds && big.PeakBytes <= TargetPeakBytes;
        Console.WriteLine($"target (≤ {TargetSeconds:F0} s and ≤ {TargetPeakBytes >> 20:N0} MiB peak at {large:N0}): {(met ? "met" : "NOT met")}");
    }

    private sealed record Figures(int Replayed, double Seconds, long PeakBytes);

    private static async Task<Figures> MeasureAsync(int size)
    {
        await using var store = await LargeStore.CreateAsync(size);
        var routing = store.Host.Services.GetRequiredService<RoutingService>();
        var view = await routing.LoadAsync();
        var doubled = view.Products.First(p => p.Active);
        var proposal = new RoutingProposal(view.Strategy, [.. view.Products.Select(p => p.ProductId == doubled.ProductId ? p with { Weight = p.Weight * 2 } : p)]);
        var windowEnd = DateTimeOffset.UtcNow.AddMinutes(1);
        var windowStart = windowEnd.AddDays(-91);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var peak = new PeakWorkingSet();
        var clock = Stopwatch.StartNew();
        var result = (await routing.SimulateAsync(proposal, windowStart, windowEnd, null, CancellationToken.None)).Result;
        clock.Stop();
        var figures = new Figures(result.Replayed, clock.Elapsed.TotalSeconds, peak.Stop());
        Console.WriteLine($"store of {size:N0}: replayed {result.Replayed:N0} routed applicants in {figures.Seconds:F2} s, peak working set {figures.PeakBytes / 1_048_576.0:N0} MiB " +
                          $"(before: {peak.Before / 1_048_576.0:N0} MiB); {doubled.LenderCode}/{doubled.ProductCode} at double weight: " +
                          $"{result.Products.Single(p => p.ProductId == doubled.ProductId).SimulatedLeads:N0} leads instead of {result.Products.Single(p => p.ProductId == doubled.ProductId).ActualLeads:N0}");
        if (result.Replayed < size / 4) throw new InvalidOperationException($"only {result.Replayed:N0} of {size:N0} applicants were replayed: the benchmark would measure too little.");
        return figures;
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

        public long Stop()
        {
            stop.Cancel();
            return sampler.GetAwaiter().GetResult();
        }

        public void Dispose() => stop.Dispose();
    }
}
