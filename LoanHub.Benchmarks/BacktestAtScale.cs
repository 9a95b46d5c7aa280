using System.Diagnostics;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Risk;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The risk policy backtest over a large store: every applicant of the last 91 days replayed as the risk policy page runs it, once
/// for a score threshold (stored signals kept) and once for a fraud threshold (the fraud history replayed from the keyed hashes,
/// with 180 days before the window read too), each twice: the first run pays for compiling the code, the second is what an
/// admin trying thresholds one after another waits for. Prints the time, CPU and the process's peak working set of each.
/// Target: ≤ 5 s and ≤ 1 GB peak at 1,000,000.
///   dotnet run -c Release --project LoanHub.Benchmarks -- backtest [size=1000000]
/// </summary>
internal static class BacktestAtScale
{
    private const double TargetSeconds = 5;
    private const long TargetPeakBytes = 1L << 30;
    private const int Days = 91; // the store is spread over the last 90 days

    public static async Task RunAsync(string[] args)
    {
        var size = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        await using var store = await LargeStore.CreateAsync(size);
        var risk = store.Host.Services.GetRequiredService<RiskPolicyService>();
        var active = (await risk.LoadAsync()).Active;

        var met = true;
        foreach (var (name, proposal) in new[]
                 {
                     ("review below +100 (score)", active with { Decision = active.Decision with { ReviewBelowScore = active.Decision.ReviewBelowScore + 100 } }),
                     ("shared device 2 (fraud replay)", active with { Fraud = active.Fraud with { DeviceSharedMinIdentities = 2 } }),
                 })
        {
            for (var run = 1; run <= 2; run++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                using var peak = new WhatIfAtScale.PeakWorkingSet();
                using var self = Process.GetCurrentProcess();
                var cpuBefore = self.TotalProcessorTime;
                var heap = HeapWork.Start();
                var clock = Stopwatch.StartNew();
                var backtest = await risk.BacktestAsync(proposal, Days, null, CancellationToken.None);
                clock.Stop();
                self.Refresh();
                var cpu = self.TotalProcessorTime - cpuBefore;
                var peakBytes = peak.Stop();
                var moves = backtest.Result.Moves;
                var heapWork = heap.Stop(moves.Total);
                Console.WriteLine($"backtest {name}, {(run == 1 ? "first run" : "second run")}: {moves.Total:N0} applicants in {clock.Elapsed.TotalSeconds:F2} s " +
                                  $"({cpu.TotalSeconds:F2} s of CPU, {cpu.TotalMicroseconds / Math.Max(1, moves.Total):F1} µs an applicant; {heapWork}), peak working set {peakBytes / 1_048_576.0:N0} MiB " +
                                  $"({peak.DescribeBefore()}); {moves.Moved:N0} moved, routed {moves.From(Decision.Route):N0} → {moves.To(Decision.Route):N0}, " +
                                  $"history replayed: {backtest.Result.ReplayedHistory}");
                if (moves.Total < size * 9 / 10) throw new InvalidOperationException($"only {moves.Total:N0} of {size:N0} applicants were replayed: the benchmark would measure too little.");
                if (run == 2) met &= clock.Elapsed.TotalSeconds <= TargetSeconds && peakBytes <= TargetPeakBytes;
            }
        }
        Console.WriteLine($"target (second runs ≤ {TargetSeconds:F0} s and ≤ {TargetPeakBytes >> 20:N0} MiB peak at 1,000,000; this run {size:N0}): {(met ? "met" : "NOT met")}");
    }
}
