using System.Diagnostics;
using LoanHub.Benchmarks.Baseline;
using LoanHub.Core.Engine;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

/// <summary>
/// What the fraud index costs per applicant, as the backtest's replay and the writer's history load feed it: n fingerprints
/// with fresh 16-hex keys (the backtest's prefixes) in arrival order over 270 days, each checked then added, 60 % marked
/// routed, pruned every <see cref="RiskBacktest.PruneEvery"/>. About 1 in 200 reuses a recent device, phone or IP and 1 in
/// 100 a recent national ID, so shared-device, shared-phone, duplicate and ring checks fire at a realistic rate.
/// Prints CPU and wall time per applicant and the managed heap the index holds per applicant (GC.GetTotalMemory after a
/// full collection, before and after), for the index as it is and as it was (Baseline/FraudIndexBefore) in the same run.
/// Target: ≤ 3 µs (check and add) and ≤ 350 bytes per applicant.
///   dotnet run -c Release --project LoanHub.Benchmarks -- fraudindex [n=1000000] [baseline n=n, 0 to skip]
/// </summary>
internal static class FraudIndexBenchmark
{
    private const double TargetMicroseconds = 3;
    private const double TargetBytes = 350;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private sealed record Subject(
        Func<ApplicationFingerprint, FraudFindings> CheckHistory,
        Func<ApplicationFingerprint, bool> Add,
        Action<string, ApplicationId, DateTimeOffset> MarkRouted,
        Func<DateTimeOffset, int> Prune);

    public static Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var baselineN = args.Length > 1 ? int.Parse(args[1]) : n;
        Console.WriteLine($"fraud index, {n:N0} applicants with fresh 16-hex keys, {Environment.ProcessorCount} cores");

        var now = Measure("compact index (now)", n, () =>
        {
            var index = new FraudIndex();
            return (index, new Subject(index.CheckHistory, index.Add, index.MarkRouted, index.Prune));
        });
        if (baselineN > 0)
        {
            var before = Measure("index as it was (before)", baselineN, () =>
            {
                var index = new FraudIndexBefore();
                return (index, new Subject(index.CheckHistory, index.Add, index.MarkRouted, index.Prune));
            });
            Console.WriteLine($"ratio: {before.CpuMicroseconds / now.CpuMicroseconds:F1}x less CPU, {before.Bytes / now.Bytes:F1}x less heap per applicant" +
                              (baselineN == n ? "" : $" (before measured at {baselineN:N0})"));
        }
        var met = now.CpuMicroseconds <= TargetMicroseconds && now.Bytes <= TargetBytes;
        Console.WriteLine($"target (≤ {TargetMicroseconds:F0} µs and ≤ {TargetBytes:F0} bytes per applicant): {(met ? "met" : "NOT met")}");
        return Task.CompletedTask;
    }

    // The heap is measured with nothing but the index alive: the fingerprints are made in batches between the timed stretches
    // and are garbage at the second measurement, so whatever the index keeps of them (their strings) counts as its own, and,
    // as in the backtest, which streams its applicants, a full collection does not have to mark a million of them.
    private static (double CpuMicroseconds, double Bytes) Measure(string name, int n, Func<(object Index, Subject Subject)> create)
    {
        // Warm-up on an index of its own, then a pause for the tiered JIT to finish: its thread's CPU would count as the index's.
        Replay(create().Subject, Math.Min(n, 50_000));
        Thread.Sleep(500);

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var (index, subject) = create();
        var (cpu, wall, gc, signals) = Replay(subject, n);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(index);

        var cpuMicroseconds = cpu.TotalMicroseconds / n;
        var bytes = (heapAfter - heapBefore) / (double)n;
        Console.WriteLine($"{name}: {cpuMicroseconds:F2} µs of CPU per applicant ({wall.TotalMicroseconds / n:F2} µs wall), " +
                          $"{bytes:F0} bytes of managed heap per applicant ({(heapAfter - heapBefore) / 1_048_576.0:N0} MiB); {gc}; signals per 1,000: " +
                          string.Join(", ", signals.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value * 1000.0 / n:F1}")));
        return (cpuMicroseconds, bytes);
    }

    // Each applicant checked, then added and (60 %) routed, as the backtest's replay does. Times only the index's calls: the
    // process's CPU time (which other load on the machine does not inflate) and the wall time.
    private static (TimeSpan Cpu, TimeSpan Wall, string Gc, Dictionary<string, int> Signals) Replay(Subject subject, int n)
    {
        const int Batch = 10_000;
        var signals = new Dictionary<string, int>();
        var source = new Applicants(seed: 11);
        using var self = Process.GetCurrentProcess();
        var cpu = TimeSpan.Zero;
        var clock = new Stopwatch();
        var (pauseBefore, fullBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        var sincePrune = 0;
        for (var start = 0; start < n; start += Batch)
        {
            var batch = source.Next(Math.Min(Batch, n - start), n);
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            clock.Start();
            foreach (var (application, routed) in batch)
            {
                if (++sincePrune == RiskBacktest.PruneEvery)
                {
                    subject.Prune(application.ReceivedAt);
                    sincePrune = 0;
                }
                foreach (var signal in subject.CheckHistory(application).Signals)
                    signals[signal.Code] = signals.GetValueOrDefault(signal.Code) + 1;
                subject.Add(application);
                if (routed) subject.MarkRouted(application.IdentityHash, application.ApplicationId, application.ReceivedAt.AddMinutes(1));
            }
            clock.Stop();
            self.Refresh();
            cpu += self.TotalProcessorTime - cpuBefore;
        }
        var gc = $"GC paused {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:N0} ms in {GC.CollectionCount(2) - fullBefore} full collections";
        return (cpu, clock.Elapsed, gc, signals);
    }

    /// <summary>
    /// Applicants in arrival order over 270 days (the backtest's 180 days of history and a 90-day window), 60 % routed. A
    /// reused key is one of the last 1,000 applicants', so reuses fall within the device window and some within the IP window.
    /// </summary>
    private sealed class Applicants(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly ApplicationFingerprint[] _recent = new ApplicationFingerprint[1_000];
        private int _made;

        public (ApplicationFingerprint Application, bool Routed)[] Next(int count, int total)
        {
            var step = TimeSpan.FromDays(270) / total;
            var batch = new (ApplicationFingerprint, bool)[count];
            for (var i = 0; i < count; i++, _made++)
            {
                var recent = _made == 0 ? null : _recent[(_made - 1 - _random.Next(Math.Min(_made, _recent.Length))) % _recent.Length];
                var application = new ApplicationFingerprint(
                    ApplicationId.New(),
                    Reuse(100) ? recent!.IdentityHash : FreshKey(),
                    Reuse(200) ? recent!.PhoneHash : FreshKey(),
                    Reuse(200) ? recent!.DeviceHash : FreshKey(),
                    Reuse(200) ? recent!.IpHash : FreshKey(),
                    Start + step * _made);
                _recent[_made % _recent.Length] = application;
                batch[i] = (application, _random.Next(10) < 6);

                bool Reuse(int oneIn) => recent is not null && _random.Next(oneIn) == 0;
            }
            return batch;
        }

        private string FreshKey() => ((ulong)_random.NextInt64() ^ (ulong)_random.Next() << 63).ToString("x16");
    }
}
