using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Delivery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Push delivery at intake: every lead pre-checked and posted over real HTTP to a lender stub that answers each call in
// 50 ms before its source gets the answer, against the same intake with pull lenders (no delivery block), in the same
// run. The real application on Kestrel over a fresh SQLite file, the stub and the load generator all in this process.
// Prints throughput, latency, what the store holds, and where the time goes (lender calls, the writer, CPU).
//   dotnet run -c Release --project LoanHub.Benchmarks -- delivery [requests=10000] [concurrency=256]
internal static class DeliveryBenchmark
{
    private const double TargetPerSecond = 1000;
    private const double TargetP99Ms = 400;
    private static readonly TimeSpan LenderThinks = TimeSpan.FromMilliseconds(50);
    // Opens the connection pools and lets tiered compilation reach its optimised code: the writer's per-group paths run
    // only some ten times a second, and the background tier-1 compiler (with dynamic PGO) keeps re-compiling ASP.NET,
    // EF Core and our code for a minute or more under this load — perf showed it taking a quarter of both cores 75 s
    // into a run. A long-running server is measured in its steady state: the warm-up lasts at least MinWarmUp and then
    // until the JIT has used less than JitSettledShare of one core over the last JitWindow (at most MaxWarmUp).
    private static readonly TimeSpan MinWarmUp = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan JitWindow = TimeSpan.FromSeconds(5);
    private const double JitSettledShare = 0.02;

    /// <summary>Sends the same load until the JIT has settled; answers how many applicants that took and how long.</summary>
    private static async Task<(int Sent, TimeSpan Took)> WarmUpAsync(HttpClient client, int concurrency)
    {
        var sent = 0;
        var clock = Stopwatch.StartNew();
        var window = (At: clock.Elapsed, Jit: JitInfo.GetCompilationTime());
        while (clock.Elapsed < MaxWarmUp)
        {
            await IntakeThroughput.RunAsync(client, concurrency, sent, 4 * concurrency);
            sent += 4 * concurrency;
            if (clock.Elapsed - window.At < JitWindow) continue;
            var jitShare = (JitInfo.GetCompilationTime() - window.Jit) / (clock.Elapsed - window.At);
            if (clock.Elapsed >= MinWarmUp && jitShare < JitSettledShare) break;
            window = (clock.Elapsed, JitInfo.GetCompilationTime());
        }
        return (sent, clock.Elapsed);
    }

    public static async Task RunAsync(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        // 50 ms × 2 calls plus two commits: at 1,000/s Little's law wants some 150 applicants in flight.
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 256;
        Console.WriteLine($"Durable intake with delivery, {requests:N0} applicants (after the same load until the JIT settles: at least {MinWarmUp.TotalSeconds:F0} s, at most {MaxWarmUp.TotalSeconds:F0} s), {concurrency} in flight, " +
                          $"{Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, SQLite WAL synchronous=FULL");
        Console.WriteLine($"lender stub on Kestrel in this process: {LenderThinks.TotalMilliseconds:F0} ms per pre-check and per post, signatures verified; " +
                          "the example seed's lenders and products, caps and budgets off");

        await using var stub = new LenderStub(LenderThinks);
        await stub.StartAsync();
        using var probe = new WriterProbe();
        var push = await MeasureAsync("push: pre-check + post per lead", stub);
        Print(push);
        var pull = await MeasureAsync("pull: no delivery block", null);
        Print(pull);

        Console.WriteLine();
        Console.WriteLine($"ratio push/pull: {push.PerSecond / pull.PerSecond:F2}x the throughput, {push.P99 / pull.P99:F2}x the p99");
        if (push.PerSecond >= TargetPerSecond && push.P99 <= TargetP99Ms)
        {
            Console.WriteLine($"target (push: ≥ {TargetPerSecond:N0} applicants/s with p99 ≤ {TargetP99Ms:N0} ms): met");
            return;
        }
        Console.WriteLine($"target (push: ≥ {TargetPerSecond:N0} applicants/s with p99 ≤ {TargetP99Ms:N0} ms): NOT met ({push.PerSecond:N0}/s, p99 {push.P99:F0} ms)");
        if (push.WriterBusy >= 0.8)
            Console.WriteLine($"  the single writer is the limit: busy at least {push.WriterBusy:P0} of the time, {push.WriterMsPerApplicant:F2} ms per applicant " +
                              $"(pull: {pull.WriterMsPerApplicant:F2} ms), so at most {1000 / push.WriterMsPerApplicant:N0} applicants/s with push; " +
                              $"its own CPU alone, {push.WriterCpuMsPerApplicant:F2} ms per applicant (pull: {pull.WriterCpuMsPerApplicant:F2} ms), allows {1000 / push.WriterCpuMsPerApplicant:N0}/s");
        else
            Console.WriteLine($"  Little's law: {push.Concurrency} in flight at a mean {push.Latencies.Average():F0} ms allow {push.Concurrency / push.Latencies.Average() * 1000:N0}/s; try more in flight");
        if (push.OtherProcesses >= 0.15)
            Console.WriteLine($"  other processes took {push.OtherProcesses:P0} of the machine during the push run, so it ran slower than on an idle machine; " +
                              "the writer's own CPU per applicant depends least on that");

        async Task<Figures> MeasureAsync(string name, LenderStub? lenders)
        {
            var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "loanhub-bench")).FullName;
            var run = Guid.NewGuid().ToString("N");
            var seedFile = Path.Combine(directory, $"delivery-{run}.json");
            var databasePath = Path.Combine(directory, $"delivery-{run}.db");
            await File.WriteAllTextAsync(seedFile, Seed(lenders));
            try
            {
                await using var host = BenchHost.ForIntake(databasePath, seedFile);
                using var client = host.StartWithClient(concurrency);

                var (warmUp, warmUpTook) = await WarmUpAsync(client, concurrency);
                var jitBefore = JitInfo.GetCompilationTime();
                var latencies = new double[requests];
                var postsBefore = lenders?.Posts ?? 0;
                var startedAt = DateTimeOffset.UtcNow;
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var machineBefore = MachineCpu.Read();
                var gcBefore = GC.GetTotalPauseDuration();
                probe.Start();
                var clock = Stopwatch.StartNew();
                var failures = await IntakeThroughput.RunAsync(client, concurrency, warmUp, requests, latencies);
                clock.Stop();
                var commits = probe.Stop();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                var machine = MachineCpu.Read() - machineBefore;
                var gc = GC.GetTotalPauseDuration() - gcBefore;
                var jit = JitInfo.GetCompilationTime() - jitBefore;

                await using var db = host.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContext();
                var attempts = await db.DeliveryAttempts.AsNoTracking()
                    .Select(a => new { a.CreatedAt, a.CompletedAt, a.PrecheckLatencyMs, a.PostLatencyMs }).ToListAsync();
                // Attempt times are the writer's: created at the lead's arrival, completed when the writer applied the answer.
                var measured = attempts.Where(a => a.CreatedAt >= startedAt && a.CompletedAt is not null).ToList();
                Array.Sort(latencies);
                var processShare = cpu.TotalSeconds / clock.Elapsed.TotalSeconds / Environment.ProcessorCount;
                return new Figures(name, requests, concurrency, warmUp, clock.Elapsed, latencies, failures,
                    Stored: await db.Applications.CountAsync(), Delivered: await db.Allocations.CountAsync(), Attempts: attempts.Count,
                    Lenders: lenders is null ? null : (lenders.Prechecks, lenders.Posts, lenders.BadSignatures),
                    Calls: [.. measured.Select(a => (double)(a.PrecheckLatencyMs ?? 0) + (a.PostLatencyMs ?? 0)).Order()],
                    ArrivalToAnswerRecordedMs: measured.Count == 0 ? 0 : measured.Average(a => (a.CompletedAt!.Value - a.CreatedAt).TotalMilliseconds),
                    commits, WorkItems: requests + (lenders?.Posts ?? 0) - postsBefore,
                    processShare, OtherProcesses: machine.Total == 0 ? 0 : Math.Max(0, machine.BusyShare - processShare),
                    CpuPerApplicant: cpu / requests, GcShare: gc / clock.Elapsed, WarmUpTook: warmUpTook, JitShare: jit / clock.Elapsed);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                foreach (var file in new[] { seedFile, databasePath, databasePath + "-wal", databasePath + "-shm" }) File.Delete(file);
                var keys = Path.Combine(directory, $"delivery-{run}-keys"); // the store's Data Protection keys, beside it
                if (Directory.Exists(keys)) Directory.Delete(keys, recursive: true);
            }
        }
    }

    private static void Print(Figures f)
    {
        Console.WriteLine();
        Console.WriteLine($"{f.Name,-34} {f.PerSecond,7:N0} applicants/s  p50 {Percentile(f.Latencies, 0.50),6:F1} ms  p95 {Percentile(f.Latencies, 0.95),6:F1} ms  " +
                          $"p99 {f.P99,6:F1} ms  failed {f.Failures}  stored {f.Stored:N0}  delivered {f.Delivered:N0}  attempts {f.Attempts:N0} (incl. {f.WarmUp:N0} warm-up in {f.WarmUpTook.TotalSeconds:F0} s)");
        if (f.Lenders is var (prechecks, posts, badSignatures))
        {
            Console.WriteLine($"  stub received {prechecks:N0} pre-checks and {posts:N0} posts, {badSignatures} with a bad signature");
            Console.WriteLine($"  lender calls as LoanHub timed them (pre-check + post, the stub waits {2 * LenderThinks.TotalMilliseconds:F0} ms): " +
                              $"p50 {Percentile(f.Calls, 0.50):F1} ms  p99 {Percentile(f.Calls, 0.99):F1} ms");
            var mean = f.Latencies.Average();
            Console.WriteLine($"  a lead's mean {mean:F1} ms: {f.Calls.Average():F1} in lender calls, " +
                              $"{f.ArrivalToAnswerRecordedMs - f.Calls.Average():F1} otherwise until the writer applied the answer (queue, first commit, dispatch, answer queued), " +
                              $"{mean - f.ArrivalToAnswerRecordedMs:F1} before the handler and after (parse, second commit, answer)");
        }
        var commits = f.Commits;
        Console.WriteLine($"  writer: {commits.Count:N0} commits of {(double)f.WorkItems / Math.Max(1, commits.Count):F1} work items (intakes + lender answers) and " +
                          $"{commits.MeanRows:F0} rows on average, {commits.Percentile(0.50):F1} ms (p50) {commits.Percentile(0.99):F1} ms (p99) each " +
                          $"from its context's first use to its commit; busy at least {f.WriterBusy:P0} of the time, {f.WriterMsPerApplicant:F2} ms per applicant");
        var (cpuMs, wallMs, units) = commits.OnCpu;
        if (units > 0)
            Console.WriteLine($"  writer on CPU {cpuMs / wallMs:P0} of that time ({units:N0} of {commits.Count:N0} units read): {f.WriterCpuMsPerApplicant:F2} ms of its own CPU per applicant, " +
                              $"so one writer on a core of its own takes at most {1000 / f.WriterCpuMsPerApplicant:N0} applicants/s");
        Console.WriteLine($"  writer in SQLite (statements and reading their rows) {commits.Statements.Sum(x => x.Ms) / commits.TotalMs:P0} of that time: " +
                          string.Join(", ", commits.Statements.Take(6).Select(x => $"{x.Statement} {x.Ms:F0} ms/{x.Count:N0}")));
        Console.WriteLine($"  CPU: this process {f.ProcessShare:P0} of {Environment.ProcessorCount} cores, other processes {f.OtherProcesses:P0}, " +
                          $"{f.CpuPerApplicant.TotalMicroseconds:F0} µs per applicant (app, stub and load generator); GC pauses {f.GcShare:P1} of the time, JIT {f.JitShare:P1} of one core; " +
                          $"Little: {f.Concurrency} in flight / mean {f.Latencies.Average():F0} ms allows {f.Concurrency / f.Latencies.Average() * 1000:N0}/s");
    }

    /// <summary>
    /// The example seed's sources and lenders with caps and budgets off, every lender pushing to the stub when there is
    /// one (pre-check and post, the lender's default timeout) and pulling otherwise.
    /// </summary>
    private static string Seed(LenderStub? stub)
    {
        var example = ConfigurationDocument.Parse(File.ReadAllText(Path.Combine(BenchHost.RepositoryRoot, "seed", "loanhub.example.json")));
        var delivery = stub is null ? null : new DeliveryDocument(stub.PrecheckUrl.ToString(), stub.PostUrl.ToString(), LenderStub.Secret, TimeoutMs: null);
        var seed = example with
        {
            Lenders = [.. example.Lenders.Select(lender => lender with
            {
                Products = [.. (lender.Products ?? []).Select(product => product with { DailyCap = null, MonthlyBudget = null })],
                Delivery = delivery,
            })],
        };
        return JsonSerializer.Serialize(seed, ConfigurationDocument.JsonOptions);
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];

    /// <summary>One run's figures; <see cref="Latencies"/> and <see cref="Calls"/> are sorted.</summary>
    private sealed record Figures(string Name, int Requests, int Concurrency, int WarmUp, TimeSpan Elapsed, double[] Latencies, int Failures,
        int Stored, int Delivered, int Attempts, (long Prechecks, long Posts, long BadSignatures)? Lenders, double[] Calls, double ArrivalToAnswerRecordedMs,
        WriterProbe.Commits Commits, long WorkItems, double ProcessShare, double OtherProcesses, TimeSpan CpuPerApplicant, double GcShare,
        TimeSpan WarmUpTook, double JitShare)
    {
        public double PerSecond => Requests / Elapsed.TotalSeconds;
        public double P99 => Percentile(Latencies, 0.99);
        public double WriterBusy => Commits.TotalMs / Elapsed.TotalMilliseconds;
        public double WriterMsPerApplicant => Commits.TotalMs / Requests;
        /// <summary>Scaled up from the units whose CPU time could be read to all of them.</summary>
        public double WriterCpuMsPerApplicant => Commits.OnCpu is { WallMs: > 0 } cpu ? cpu.CpuMs / cpu.WallMs * Commits.TotalMs / Requests : double.NaN;
    }
}

/// <summary>Jiffies the whole machine spent busy and in all, from /proc/stat (zero elsewhere): shows when other processes compete for the cores.</summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    public double BusyShare => Total == 0 ? 0 : (double)Busy / Total;

    public static MachineCpu Read()
    {
        if (!File.Exists("/proc/stat")) return default;
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var idle = fields[3] + fields[4]; // idle, iowait
        return new MachineCpu(fields.Sum() - idle, fields.Sum());
    }

    public static MachineCpu operator -(MachineCpu after, MachineCpu before) => new(after.Busy - before.Busy, after.Total - before.Total);
}

/// <summary>The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), null elsewhere: what the writer itself used, apart from waiting for a core.</summary>
internal static class ThreadCpu
{
    private const int ThreadCpuTimeClock = 3;

    public static TimeSpan? Now() =>
        OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuTimeClock, out var time) == 0
            ? TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100)
            : null;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

/// <summary>
/// A push lender for the benchmark: Kestrel on 127.0.0.1, logging off, that checks each call's signature (HMAC-SHA256
/// of "timestamp.body", a few microseconds) and accepts every pre-check and post after <c>thinks</c>.
/// </summary>
internal sealed class LenderStub : IAsyncDisposable
{
    public const string Secret = "bench-stub-secret-0123456789abcdefghijkl";
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Secret);
    private static readonly byte[] PrecheckAnswer = """{"accept":true}"""u8.ToArray();
    private static readonly byte[] PostAnswer = """{"accept":true,"lenderRef":"R"}"""u8.ToArray();
    private static readonly byte[] Unsigned = """{"accept":false,"reason":"bad signature"}"""u8.ToArray();

    private readonly WebApplication app;
    private readonly TimeSpan thinks;
    private long prechecks;
    private long posts;
    private long badSignatures;
    private Uri? baseUrl;

    public LenderStub(TimeSpan thinks)
    {
        this.thinks = thinks;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(AnswerAsync);
    }

    public long Prechecks => Interlocked.Read(ref prechecks);
    public long Posts => Interlocked.Read(ref posts);
    public long BadSignatures => Interlocked.Read(ref badSignatures);
    public Uri PrecheckUrl => new(BaseUrl, "/precheck");
    public Uri PostUrl => new(BaseUrl, "/applications");
    private Uri BaseUrl => baseUrl ?? throw new InvalidOperationException("Start the stub first.");

    public async Task StartAsync()
    {
        await app.StartAsync();
        baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var answer = request.Path.Value switch
        {
            "/precheck" => PrecheckAnswer,
            "/applications" => PostAnswer,
            _ => null,
        };
        if (answer is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Interlocked.Increment(ref answer == PrecheckAnswer ? ref prechecks : ref posts);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (!Signed(request, body.GetBuffer().AsSpan(0, (int)body.Length)))
        {
            Interlocked.Increment(ref badSignatures);
            answer = Unsigned;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        await Task.Delay(thinks, context.RequestAborted);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private static bool Signed(HttpRequest request, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Key);
        hmac.AppendData(Encoding.ASCII.GetBytes(request.Headers[LeadContract.TimestampHeader].ToString()));
        hmac.AppendData("."u8);
        hmac.AppendData(body);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(hash);
        return request.Headers[LeadContract.SignatureHeader].ToString() == "sha256=" + Convert.ToHexStringLower(hash);
    }
}

/// <summary>
/// The writer's commits as EF Core reports them: each context from its first use to its SaveChanges, and the rows it
/// saved. Only the writer saves while intake runs, so these are its units of work; the time it spends choosing the
/// next batch and answering after the commit is not in them, hence "at least".
/// </summary>
internal sealed class WriterProbe : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable subscription;
    private readonly List<IDisposable> listeners = [];
    private readonly ConcurrentDictionary<DbContext, (long At, int Thread, TimeSpan? Cpu)> opened = new();
    private readonly List<Commit> commits = [];
    private readonly ConcurrentDictionary<string, (int Count, double Ms)> statements = new();
    private volatile bool recording;

    public WriterProbe() => subscription = DiagnosticListener.AllListeners.Subscribe(this);

    public void Start()
    {
        lock (commits) commits.Clear();
        opened.Clear();
        statements.Clear();
        recording = true;
    }

    public Commits Stop()
    {
        recording = false;
        lock (commits) return new Commits([.. commits], statements.ToDictionary());
    }

    public void Dispose()
    {
        subscription.Dispose();
        lock (listeners) listeners.ForEach(l => l.Dispose());
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name != DbLoggerCategory.Name) return;
        string[] watched = [CoreEventId.ContextInitialized.Name!, CoreEventId.SaveChangesCompleted.Name!, CoreEventId.ContextDisposed.Name!,
            RelationalEventId.CommandExecuted.Name!, RelationalEventId.DataReaderDisposing.Name!, RelationalEventId.TransactionCommitted.Name!];
        lock (listeners) listeners.Add(listener.Subscribe(this, name => watched.Contains(name)));
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (!recording) return;
        switch (value.Value)
        {
            case ContextInitializedEventData initialized:
                opened[initialized.Context] = (Stopwatch.GetTimestamp(), Environment.CurrentManagedThreadId, ThreadCpu.Now());
                break;
            case SaveChangesCompletedEventData saved when saved.Context is { } context && opened.TryRemove(context, out var started):
                // SQLite's async calls complete synchronously, so a unit normally runs on one thread and its CPU time can be read.
                var cpu = started.Thread == Environment.CurrentManagedThreadId && ThreadCpu.Now() is { } now && started.Cpu is { } before ? now - before : (TimeSpan?)null;
                lock (commits) commits.Add(new Commit(Stopwatch.GetElapsedTime(started.At).TotalMilliseconds, cpu?.TotalMilliseconds, saved.EntitiesSavedCount));
                break;
            case DbContextEventData disposed when disposed.EventId == CoreEventId.ContextDisposed && disposed.Context is { } context:
                opened.TryRemove(context, out _);
                break;
            // A reader's time runs from execution to disposal, rows and materialization included (SQLite steps in Read).
            case DataReaderDisposingEventData reader:
                Count(Statement(reader.Command.CommandText), reader.Duration);
                break;
            case CommandExecutedEventData executed when executed.ExecuteMethod != DbCommandMethod.ExecuteReader:
                Count(Statement(executed.Command.CommandText), executed.Duration);
                break;
            case TransactionEndEventData committed:
                Count("COMMIT", committed.Duration);
                break;
        }
    }

    private void Count(string statement, TimeSpan duration) =>
        statements.AddOrUpdate(statement, (1, duration.TotalMilliseconds), (_, sum) => (sum.Count + 1, sum.Ms + duration.TotalMilliseconds));

    /// <summary>A statement's kind and table, and for a query the first column it filters on (<c>SELECT Applications by Id</c>); a batch of several is "SaveChanges batch".</summary>
    private static string Statement(string sql)
    {
        var text = sql.Trim();
        if (text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length > 1) return "SaveChanges batch";
        var verb = text.Split(' ', 2)[0].ToUpperInvariant();
        var table = System.Text.RegularExpressions.Regex.Match(text, verb switch
        {
            "INSERT" => @"INTO\s+""(\w+)""",
            "UPDATE" => @"UPDATE\s+""(\w+)""",
            "DELETE" => @"FROM\s+""(\w+)""",
            _ => @"FROM\s+""(\w+)""",
        }).Groups[1].Value;
        var by = verb == "SELECT" ? System.Text.RegularExpressions.Regex.Match(text, @"WHERE\s+""\w+""\.""(\w+)""").Groups[1].Value : "";
        return $"{verb} {table}{(by.Length > 0 ? $" by {by}" : "")}".Trim();
    }

    void IObserver<DiagnosticListener>.OnCompleted() { }
    void IObserver<DiagnosticListener>.OnError(Exception error) { }
    void IObserver<KeyValuePair<string, object?>>.OnCompleted() { }
    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error) { }

    public sealed record Commit(double Ms, double? CpuMs, int Rows);

    public sealed class Commits(Commit[] all, Dictionary<string, (int Count, double Ms)> statements)
    {
        /// <summary>Time in SQLite by statement, most first.</summary>
        public IReadOnlyList<(string Statement, int Count, double Ms)> Statements { get; } =
            [.. statements.Select(s => (s.Key, s.Value.Count, s.Value.Ms)).OrderByDescending(s => s.Ms)];
        private readonly double[] sortedMs = [.. all.Select(c => c.Ms).Order()];
        public int Count => all.Length;
        public double TotalMs => sortedMs.Sum();
        public double MeanRows => all.Length == 0 ? 0 : all.Average(c => c.Rows);
        /// <summary>The writer thread's own CPU time over the units whose CPU could be read, and how many those were.</summary>
        public (double CpuMs, double WallMs, int Units) OnCpu =>
            (all.Sum(c => c.CpuMs ?? 0), all.Where(c => c.CpuMs is not null).Sum(c => c.Ms), all.Count(c => c.CpuMs is not null));
        public double Percentile(double q) => sortedMs.Length == 0 ? double.NaN : sortedMs[Math.Min(sortedMs.Length - 1, (int)(sortedMs.Length * q))];
    }
}
