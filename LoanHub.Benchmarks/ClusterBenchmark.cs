using System.Diagnostics;
using System.Net;
using System.Text;
using Npgsql;


/// <summary>
/// <c>-- cluster [requests=6000] [concurrency=128] [warm-up=4000]</c>: durable intake over HTTP into real LoanHub processes (Release,
/// Production) — SQLite with one instance, PostgreSQL with one and with two instances on one database
/// (<c>synchronous_commit=on</c>, fsync on) — in one run, the load generator in this process spreading requests over
/// the instances. PostgreSQL is a throwaway cluster it starts itself (as the <c>postgres</c> user when run as root),
/// unless <c>LOANHUB_BENCH_POSTGRES</c> names a server (a connection string that may create databases).
/// </summary>
internal static class ClusterBenchmark
{
    private const string ApiKey = "example-source-ADS-0f3a9c2e";

    public static async Task RunAsync(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0]) : 6000;
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 128;
        // Long enough for the tier-1 compiler to be done with the hot paths, or the first configuration pays for it.
        var warmUp = args.Length > 2 ? int.Parse(args[2]) : 4000;
        await using var postgres = await ThrowawayPostgres.StartAsync();
        Console.WriteLine($"Durable intake over HTTP, {requests:N0} applicants after {warmUp:N0} to warm up, {concurrency} in flight, {Environment.ProcessorCount} cores, load generator in this process");
        var work = Path.Combine(Path.GetTempPath(), "loanhub-bench", $"cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var sqlite = await MeasureAsync("SQLite, one instance", requests, concurrency, warmUp, [Sqlite(Path.Combine(work, "bench.db"))]);
            var database = $"bench_{Guid.NewGuid():N}";
            var one = await MeasureAsync("PostgreSQL, one instance", requests, concurrency, warmUp, [Postgres(postgres.ConnectionString(database), work)]);
            var shared = $"bench_{Guid.NewGuid():N}";
            var two = await MeasureAsync("PostgreSQL, two instances", requests, concurrency, warmUp,
                [Postgres(postgres.ConnectionString(shared), work), Postgres(postgres.ConnectionString(shared), work)]);
            Console.WriteLine($"ratio: PostgreSQL one instance {one.PerSecond / sqlite.PerSecond:F2}x SQLite; two instances {two.PerSecond / one.PerSecond:F2}x one");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Dictionary<string, string> Sqlite(string file) => new() { ["ConnectionStrings:LoanHub"] = $"Data Source={file}" };

    private static Dictionary<string, string> Postgres(string connectionString, string work) => new()
    {
        ["LoanHub:Database:Provider"] = "Postgres",
        ["ConnectionStrings:LoanHub"] = connectionString,
        ["LoanHub:DataProtection:KeysPath"] = Path.Combine(work, "keys-" + new NpgsqlConnectionStringBuilder(connectionString).Database),
    };

    private static async Task<Result> MeasureAsync(string name, int requests, int concurrency, int warmUp, IReadOnlyList<Dictionary<string, string>> instances)
    {
        var started = new List<AppInstance>();
        try
        {
            // One at a time: the first migrates and seeds, the next finds it done.
            foreach (var settings in instances) started.Add(await AppInstance.StartAsync(settings));
            var clients = started.Select(i => i.Client(concurrency)).ToArray();
            await IntakeThroughput.RunAsync(clients, concurrency, 0, warmUp);
            var latencies = new double[requests];
            var clock = Stopwatch.StartNew();
            var failures = await IntakeThroughput.RunAsync(clients, concurrency, warmUp, requests, latencies);
            clock.Stop();
            Array.Sort(latencies);
            var result = new Result(requests / clock.Elapsed.TotalSeconds);
            Console.WriteLine($"{name,-28} {result.PerSecond,8:N0} applicants/s  p50 {latencies[requests / 2],6:F1} ms  p99 {latencies[(int)(requests * 0.99)],6:F1} ms  failed {failures}");
            // The last report of each instance covers (most of) the measurement.
            foreach (var (instance, n) in started.Select((instance, n) => (instance, n)))
                if (instance.LinesWith("Writer lock held").LastOrDefault() is { } held) Console.WriteLine($"  instance {n + 1}: {held[(held.IndexOf("Writer lock", StringComparison.Ordinal))..]}");
            return result;
        }
        finally
        {
            foreach (var instance in started) instance.Dispose();
        }
    }

    /// <summary>LoanHub.Web as its own process, the build beside this benchmark, on a port it picks itself.</summary>
    private sealed class AppInstance : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output;

        private AppInstance(Process process, Uri address, StringBuilder output)
        {
            this.process = process;
            Address = address;
            this.output = output;
        }

        /// <summary>The lines of its log that hold <paramref name="text"/>, oldest first.</summary>
        public IReadOnlyList<string> LinesWith(string text)
        {
            lock (output) return [.. output.ToString().Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal)).Select(l => l.Trim())];
        }

        public Uri Address { get; }

        public HttpClient Client(int concurrency)
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            return client;
        }

        // This benchmark runs from its own apphost; the application runs on the muxer that built it.
        private static string Muxer => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        public static async Task<AppInstance> StartAsync(IReadOnlyDictionary<string, string> settings)
        {
            var directory = AppContext.BaseDirectory;
            var start = new ProcessStartInfo(Muxer) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(directory, "LoanHub.Web.dll"));
            start.ArgumentList.Add("--environment=Production");
            start.ArgumentList.Add($"--contentRoot={directory}");
            start.ArgumentList.Add("--urls=http://127.0.0.1:0");
            var all = new Dictionary<string, string>
            {
                ["LoanHub:Seed:File"] = Path.Combine(BenchHost.RepositoryRoot, "seed", "loanhub.example.json"),
                ["LoanHub:Seed:Demo"] = "false",
                ["LoanHub:Seed:AdminPassword"] = "Bench-Admin-Passw0rd",
                ["LoanHub:Intake:PermitsPerSecondPerSource"] = "1000000",
                ["LoanHub:DataProtection:AllowUnprotectedKeys"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
                // The writer lock's hold time, every 10 s (PostgreSQL only): the cost of the serialisation point.
                ["Logging:LogLevel:LoanHub.Web.Features.Cluster.WriterTurns"] = "Information",
            };
            foreach (var (key, value) in settings) all[key] = value;
            foreach (var (key, value) in all) start.ArgumentList.Add($"--{key}={value}");

            var process = new Process { StartInfo = start };
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new StringBuilder();
            void Read(string? line)
            {
                if (line is null) return;
                lock (log) log.AppendLine(line);
                const string marker = "Now listening on: ";
                if (line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0) listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
            }
            process.OutputDataReceived += (_, e) => Read(e.Data);
            process.ErrorDataReceived += (_, e) => Read(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
                using var probe = new HttpClient { BaseAddress = address };
                for (var i = 0; ; i++)
                {
                    try
                    {
                        if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) break;
                    }
                    catch (HttpRequestException) when (i < 600)
                    {
                    }
                    await Task.Delay(100);
                }
                return new AppInstance(process, address, log);
            }
            catch
            {
                process.Kill(entireProcessTree: true);
                lock (log) Console.Error.WriteLine(log);
                throw;
            }
        }

        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }

    /// <summary>A PostgreSQL server for the run: <c>LOANHUB_BENCH_POSTGRES</c>, or a cluster started in a temporary folder and removed after.</summary>
    private sealed class ThrowawayPostgres : IAsyncDisposable
    {
        private readonly string server;
        private readonly string? folder;
        private readonly string? bin;

        private ThrowawayPostgres(string server, string? folder, string? bin)
        {
            this.server = server;
            this.folder = folder;
            this.bin = bin;
        }

        public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString();

        public static async Task<ThrowawayPostgres> StartAsync()
        {
            if (Environment.GetEnvironmentVariable("LOANHUB_BENCH_POSTGRES") is { Length: > 0 } given) return new ThrowawayPostgres(given, null, null);
            var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
                ?? throw new InvalidOperationException("PostgreSQL is not installed: apt-get install postgresql, or set LOANHUB_BENCH_POSTGRES.");
            var folder = Path.Combine(Path.GetTempPath(), $"loanhub-bench-pg-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            await RunAsync("chown", "postgres", folder);
            var port = 55490;
            while (IsTaken(port)) port++;
            await RunAsPostgresAsync(Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
            // Durable, as in production: fsync and synchronous_commit on (the defaults).
            await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-o",
                $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=300 -c synchronous_commit=on -c fsync=on", "start");
            return new ThrowawayPostgres($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", folder, bin);
        }

        private static bool IsTaken(int port)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }

        private static Task RunAsPostgresAsync(string command, params string[] args) =>
            Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", command, .. args]) : RunAsync(command, args);

        private static async Task RunAsync(string command, params string[] args)
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{command} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }

        public async ValueTask DisposeAsync()
        {
            if (folder is null) return;
            NpgsqlConnection.ClearAllPools();
            await RunAsPostgresAsync(Path.Combine(bin!, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-m", "fast", "stop");
            Directory.Delete(folder, recursive: true);
        }
    }
}
