using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LoanHub.Core.Identity;
using System.Text.Json;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Durable intake throughput: the real application on Kestrel over a fresh SQLite file, posting distinct
// applicants over HTTP with many in flight. Group commit (the default) against one transaction per
// request, measured in the same run on the same machine.
//   dotnet run -c Release --project LoanHub.Benchmarks -- [requests=4000] [concurrency=64]
// (`-- export` measures the commission export instead; see ExportBenchmark.)
internal static class IntakeThroughput
{
    public static async Task Main(string[] args)
    {
        switch (args)
        {
            case ["applications", .. var rest]: await ApplicationsAtScale.RunAsync(rest); return;
            case ["export", .. var rest]: await ExportBenchmark.RunAsync(rest); return;
            case ["export-one", .. var rest]: await ExportBenchmark.RunOneAsync(rest); return;
            case ["delivery", .. var rest]: await DeliveryBenchmark.RunAsync(rest); return;
            case ["whatif", .. var rest]: await WhatIfAtScale.RunAsync(rest); return;
            case ["backtest", .. var rest]: await BacktestAtScale.RunAsync(rest); return;
            case ["learning", .. var rest]: await LearningRefreshBenchmark.RunAsync(rest); return;
            case ["fraudindex", .. var rest]: await FraudIndexBenchmark.RunAsync(rest); return;
            case ["cluster", .. var rest]: await ClusterBenchmark.RunAsync(rest); return;
        }
        var requests = args.Length > 0 ? int.Parse(args[0]) : 4000;
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 64;
        var seedFile = Path.GetFullPath(Path.Combine(FindRoot(), "seed", "loanhub.example.json"));

        Console.WriteLine($"Durable intake, {requests:N0} applicants, {concurrency} in flight, {Environment.ProcessorCount} cores, SQLite WAL synchronous=FULL");
        var grouped = await MeasureAsync("group commit (MaxBatch 256)", 256);
        var single = await MeasureAsync("one transaction per request (MaxBatch 1)", 1);
        Console.WriteLine($"ratio: group commit is {grouped.PerSecond / single.PerSecond:F2}x one transaction per request");
        var writer = await MeasureAsync("writer alone, no HTTP (MaxBatch 256)", 256, overHttp: false);
        Console.WriteLine($"ratio: HTTP path reaches {grouped.PerSecond / writer.PerSecond:P0} of the writer alone");

        async Task<Result> MeasureAsync(string name, int maxBatch, bool overHttp = true)
        {
            var databasePath = Path.Combine(Path.GetTempPath(), "loanhub-bench", $"{Guid.NewGuid():N}.db");
            await using var host = BenchHost.ForIntake(databasePath, seedFile, ("LoanHub:Intake:MaxBatch", maxBatch.ToString()));
            using var client = host.StartWithClient(concurrency);

            await RunAsync(client, concurrency, 0, 200); // warm-up: JIT, connection pool, SQLite caches
            var latencies = new double[requests];
            var clock = Stopwatch.StartNew();
            var failures = overHttp ? await RunAsync(client, concurrency, 200, requests, latencies) : await SubmitDirectlyAsync(host, 200, requests, latencies);
            clock.Stop();

            await using var db = host.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContext();
            var stored = await db.Applications.CountAsync();
            Array.Sort(latencies);
            var result = new Result(requests / clock.Elapsed.TotalSeconds);
            Console.WriteLine($"{name,-45} {result.PerSecond,8:N0} applicants/s  p50 {latencies[requests / 2],6:F1} ms  p99 {latencies[(int)(requests * 0.99)],6:F1} ms  stored {stored:N0}  failed {failures}");
            return result;
        }

        // The same applicants handed straight to the writer, as many in flight as the writer will group.
        static async Task<int> SubmitDirectlyAsync(BenchHost host, int offset, int count, double[] latencies)
        {
            var engine = host.Services.GetRequiredService<EngineHost>();
            using var db = host.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContext();
            var source = db.Sources.Single(s => s.Code == "ADS").Id;
            var failures = 0;
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                var body = JsonSerializer.Deserialize<IntakeRequest>(JsonSerializer.Serialize(Body(offset + i)), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
                IntakeValidator.Validate(body, out var valid);
                var started = Stopwatch.GetTimestamp();
                var outcome = await engine.SubmitAsync(new IntakeCommand(source, valid!, body.ContentHash(), DateTimeOffset.UtcNow), CancellationToken.None);
                if (outcome.Disposition != IntakeDisposition.Created) Interlocked.Increment(ref failures);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }));
            return failures;
        }

        static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoanHub.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
        }
    }

    /// <summary>Posts applicants <paramref name="offset"/>… as the source ADS, <paramref name="concurrency"/> at a time; returns how many were not 201 Created.</summary>
    internal static Task<int> RunAsync(HttpClient client, int concurrency, int offset, int count, double[]? latencies = null) =>
        RunAsync([client], concurrency, offset, count, latencies);

    /// <summary>The same spread over several instances: request i goes to <paramref name="clients"/>[i mod n], as a load balancer without stickiness would.</summary>
    internal static async Task<int> RunAsync(IReadOnlyList<HttpClient> clients, int concurrency, int offset, int count, double[]? latencies = null)
    {
        var failures = 0;
        using var slots = new SemaphoreSlim(concurrency);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await clients[i % clients.Count].PostAsJsonAsync("/api/v1/applications", Body(offset + i));
                if (response.StatusCode != HttpStatusCode.Created) Interlocked.Increment(ref failures);
                if (latencies is not null) latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(tasks);
        return failures;
    }

    /// <summary>Applicant <paramref name="n"/>: distinct ID, phone, device and IP, eligible for every product of the example seed.</summary>
    internal static object Body(int n)
    {
        var birth = new DateOnly(1985, 1, 1).AddDays(n % 5000);
        var first17 = $"440106{birth:yyyyMMdd}{n / 5000 % 1000:D3}";
        return new
        {
            externalRef = $"B-{n:D8}",
            fullName = "陈静",
            nationalId = first17 + ResidentId.CheckCharacterOf(first17),
            phone = $"136{n:D8}",
            provinceCode = "31",
            monthlyIncome = 9000 + n % 7 * 1000,
            employment = "Salaried",
            requestedAmount = 10000 + n % 9 * 1000,
            termMonths = 12,
            purpose = "Consumption",
            deviceId = $"bench-device-{n}",
            ipAddress = $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}",
            bureauScore = 700,
            consent = new { creditCheck = true, shareWithLenders = true, marketing = false, text = "我同意" },
        };
    }
}

internal sealed record Result(double PerSecond);

internal sealed class BenchHost(IDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    /// <summary>The app over a fresh store with <paramref name="seedFile"/>, no rate limit, quiet logs; <paramref name="more"/> settings on top.</summary>
    public static BenchHost ForIntake(string databasePath, string seedFile, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:LoanHub"] = $"Data Source={databasePath}",
            ["LoanHub:Seed:File"] = seedFile,
            ["LoanHub:Seed:Demo"] = "false",
            ["LoanHub:Seed:AdminPassword"] = "Bench-Admin-Passw0rd",
            ["LoanHub:Intake:PermitsPerSecondPerSource"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["LoanHub:DataProtection:AllowUnprotectedKeys"] = "true",
        };
        foreach (var (key, value) in more) settings[key] = value;
        return new BenchHost(settings);
    }

    /// <summary>Starts the app on a Kestrel port and returns a client posting as the example seed's ADS source.</summary>
    public HttpClient StartWithClient(int concurrency)
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Add("X-Api-Key", "example-source-ADS-0f3a9c2e");
        return client;
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoanHub.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseStaticWebAssets();
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
