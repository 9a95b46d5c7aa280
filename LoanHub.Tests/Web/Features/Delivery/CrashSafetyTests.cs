using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>
/// Issue 10's crash-safety must-hold: LoanHub.Web as a process under full-speed intake, with two push lenders
/// (real Kestrel stubs, one refusing some posts) and a pull lender, killed with SIGKILL at seeded-random moments
/// and restarted over the same SQLite file. What was acknowledged must be kept once, no lead may reach two lenders,
/// the file must be sound, the daily cap must hold and the fraud history must survive.
/// <see cref="CrashResumeTests"/> is the single-lead case.
/// </summary>
[Trait("Category", AppProcess.Category)]
public sealed class CrashSafetyTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int Seed = 20_260_510;
    private const int Kills = 5;
    private const int Posters = 16;
    private const int DailyCap = 25;
    private const int FirstPerson = 800_000;
    private const int LastPerson = 849_999;
    private const string SourceKey = "crash-safety-ADS-key-0001";
    private const string CappedLender = "S1";
    private const string RefusingLender = "S2";
    private const string PullLender = "P1";

    private readonly LenderStub capped = new("stub-secret-S1-0123456789abcdefghijklmnop");
    private readonly LenderStub refusing = new("stub-secret-S2-0123456789abcdefghijklmnop");
    private readonly string databasePath = LoanHubHost.NewDatabasePath();
    private readonly string seedFile = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"crash-safety-{Guid.NewGuid():N}.json");
    private readonly List<AppProcess> processes = [];
    private readonly CancellationTokenSource stopLoad = new();
    private readonly List<Task> posters = [];

    // What the lenders' servers accepted (application id → times the handler accepted a new key).
    private readonly ConcurrentDictionary<Guid, int> acceptedByCapped = new();
    private readonly ConcurrentDictionary<Guid, int> acceptedByRefusing = new();

    // What the sources were told.
    private readonly ConcurrentDictionary<string, string> bodies = new(); // externalRef → body as sent
    private readonly ConcurrentDictionary<string, Guid> created = new(); // externalRef → application id of a 201
    private readonly ConcurrentDictionary<string, int> createdInEpoch = new();
    private readonly ConcurrentBag<(string ExternalRef, Guid ApplicationId)> resubmitted = []; // 200 answers
    private readonly ConcurrentDictionary<string, int> routedPeople = new(); // national ID → epoch its Routed answer came in
    private readonly ConcurrentQueue<string> violations = new();
    private readonly ConcurrentDictionary<string, int> answers = new();
    private int nextPerson = FirstPerson;
    private int epoch; // how many kills so far
    private int acknowledged; // 201 and 200 answers
    private volatile AppProcess? current;

    public async Task InitializeAsync()
    {
        await capped.StartAsync();
        await refusing.StartAsync();
        capped.OnPost = request => Answer(request, acceptedByCapped, refuse: false);
        // Refuses about a third of its posts, the same for every post of one application.
        refusing.OnPost = request => Answer(request, acceptedByRefusing, refuse: ApplicationIdOf(request).GetHashCode() % 3 == 0);
        Directory.CreateDirectory(Path.GetDirectoryName(seedFile)!);
        await File.WriteAllTextAsync(seedFile, JsonSerializer.Serialize(Document(), ConfigurationDocument.JsonOptions));
    }

    public async Task DisposeAsync()
    {
        await stopLoad.CancelAsync();
        await Task.WhenAny(Task.WhenAll(posters), Task.Delay(TimeSpan.FromSeconds(40)));
        foreach (var app in processes)
        {
            await app.DisposeAsync();
            var output = app.Output;
            log.WriteLine($"--- LoanHub.Web process over {databasePath} (last of its output) ---{Environment.NewLine}{output[Math.Max(0, output.Length - 4000)..]}");
        }
        await capped.DisposeAsync();
        await refusing.DisposeAsync();
        stopLoad.Dispose();
    }

    [Fact(Timeout = 400_000)] // a backstop for a hang on a loaded machine; every wait below has its own bound
    public async Task Intake_killed_at_random_moments_keeps_every_acknowledged_application_once_delivers_no_lead_twice_and_keeps_caps_and_fraud_history()
    {
        var random = new Random(Seed);
        log.WriteLine($"seed {Seed}");
        current = await StartAsync();
        for (var i = 0; i < Posters; i++) posters.Add(PostLoopAsync(new Random(Seed + 1 + i)));

        for (var kill = 1; kill <= Kills; kill++)
        {
            await UntilIntakeFlowsAsync();
            var after = TimeSpan.FromMilliseconds(random.Next(500, 2001));
            await Task.Delay(after);
            current.Kill();
            Interlocked.Increment(ref epoch);
            log.WriteLine($"kill {kill} after {after.TotalMilliseconds:0} ms; 201s so far {created.Count}, answers {Describe(answers)}");
            current = await StartAsync(); // resumes what was in flight as it starts
        }

        await UntilIntakeFlowsAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // load on the last process too
        await stopLoad.CancelAsync();
        await Task.WhenAll(posters).WaitAsync(TimeSpan.FromSeconds(60));
        await SettleAsync(current);
        log.WriteLine($"after the load: 201s {created.Count}, 200s {resubmitted.Count}, answers {Describe(answers)}; " +
                      $"stub accepts {acceptedByCapped.Count} + {acceptedByRefusing.Count}");
        Assert.True(created.Count >= 100, $"Too little load to mean anything: {created.Count} applications acknowledged.");

        await AssertFraudHistoryIsIntactAsync(current);
        Assert.True(violations.IsEmpty, $"{violations.Count} wrong answers, e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(20))}");

        current.Kill(); // what the file holds after a crash is what is asserted below
        AssertIntegrityIsOk();
        await AssertStoreAsync(current);
    }

    /// <summary>
    /// Waits for the process just started to answer intake: the first requests of a fresh process take seconds on a
    /// loaded machine (JIT, the writer's first groups), and a kill before any answer would test only the start.
    /// </summary>
    private async Task UntilIntakeFlowsAsync()
    {
        var before = Volatile.Read(ref acknowledged);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Volatile.Read(ref acknowledged) == before)
        {
            Assert.True(DateTime.UtcNow < until, $"The restarted process answered no intake within 60 s; answers {Describe(answers)}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private async Task PostLoopAsync(Random random)
    {
        while (!stopLoad.IsCancellationRequested)
        {
            var (externalRef, body, kind) = NextBody(random);
            var app = current!;
            var sentToLiveProcess = !app.HasExited;
            var answered = false;
            try
            {
                using var response = await PostAsync(app.Client, JsonNode.Parse(body)!, SourceKey);
                var text = await response.Content.ReadAsStringAsync();
                Record(externalRef, body, kind, response.StatusCode, text);
                answered = true;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The process was killed under the request (or before it): the source never heard back.
                answers.AddOrUpdate("connection", 1, (_, n) => n + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
            finally
            {
                // Only now may another poster send it again, so a resubmission never overtakes its original; bodies
                // sent while the process was down never reached it and would only dilute the resubmissions.
                if (answered || sentToLiveProcess) bodies.TryAdd(externalRef, body);
            }
        }
    }

    private enum BodyKind { New, Resubmission, SamePerson }

    private (string ExternalRef, string Body, BodyKind Kind) NextBody(Random random)
    {
        var roll = random.Next(100);
        if (roll < 10 && !bodies.IsEmpty)
        {
            var earlier = bodies.ElementAt(random.Next(bodies.Count));
            return (earlier.Key, earlier.Value, BodyKind.Resubmission);
        }
        if (roll < 20 && !routedPeople.IsEmpty)
        {
            var person = routedPeople.Keys.ElementAt(random.Next(routedPeople.Count));
            return Fresh(person, BodyKind.SamePerson);
        }
        var n = Interlocked.Increment(ref nextPerson);
        if (n > LastPerson) throw new InvalidOperationException("The test ran out of its national ID range.");
        return Fresh(NationalId(n), BodyKind.New);
    }

    private (string, string, BodyKind) Fresh(string nationalId, BodyKind kind)
    {
        var externalRef = $"CS-{Guid.NewGuid():N}";
        return (externalRef, ValidBody(externalRef, nationalId).ToJsonString(), kind);
    }

    private void Record(string externalRef, string body, BodyKind kind, HttpStatusCode status, string text)
    {
        answers.AddOrUpdate(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) return; // told to come back: nothing promised
        if (status is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            violations.Enqueue($"{externalRef} ({kind}): {(int)status} {text}");
            return;
        }

        Interlocked.Increment(ref acknowledged);
        var answer = JsonNode.Parse(text)!.AsObject();
        var id = Guid.Parse((string)answer["applicationId"]!);
        var outcome = (string?)answer["status"];
        if (status == HttpStatusCode.OK)
        {
            resubmitted.Add((externalRef, id));
            if (kind != BodyKind.Resubmission) violations.Enqueue($"{externalRef} ({kind}): 200 for a body never sent before");
        }
        else
        {
            var first = created.GetOrAdd(externalRef, id);
            createdInEpoch.TryAdd(externalRef, Volatile.Read(ref epoch)); // no later than the kill that ended its process
            if (first != id) violations.Enqueue($"{externalRef}: two 201s with different applications {first} and {id}");
        }

        var nationalId = (string)JsonNode.Parse(body)!["nationalId"]!;
        if (kind == BodyKind.SamePerson && status == HttpStatusCode.Created && outcome != "Duplicate")
            violations.Enqueue($"{externalRef}: a person already routed was answered {outcome}, not Duplicate");
        if (outcome == "Routed") routedPeople.TryAdd(nationalId, Volatile.Read(ref epoch));
    }

    /// <summary>Waits until the process has no attempt in flight: every delivery, resumed ones included, has its answer.</summary>
    private async Task SettleAsync(AppProcess app)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            await using var store = app.CreateDbContext();
            var inFlight = await store.DeliveryAttempts.CountAsync(a => a.Outcome == AttemptOutcome.InFlight);
            if (inFlight == 0) return;
            Assert.True(DateTime.UtcNow < until, $"{inFlight} attempts still in flight 90 s after the load stopped.");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>People routed before the last kill are still known to the restarted process; bodies acknowledged then are still answered the same.</summary>
    private async Task AssertFraudHistoryIsIntactAsync(AppProcess app)
    {
        var routedBefore = routedPeople.Where(p => p.Value < Kills).Select(p => p.Key).Take(20).ToList();
        Assert.NotEmpty(routedBefore);
        foreach (var nationalId in routedBefore)
        {
            using var response = await PostAsync(app.Client, ValidBody($"CS-again-{Guid.NewGuid():N}", nationalId), SourceKey);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("Duplicate", (string?)(await ReadAsync(response))["status"]);
        }

        var acknowledgedBefore = createdInEpoch.Where(c => c.Value < Kills).Select(c => c.Key).Take(20).ToList();
        Assert.NotEmpty(acknowledgedBefore);
        foreach (var externalRef in acknowledgedBefore)
        {
            using var response = await PostAsync(app.Client, JsonNode.Parse(bodies[externalRef])!, SourceKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(created[externalRef].ToString(), (string?)(await ReadAsync(response))["applicationId"]);
        }
    }

    private void AssertIntegrityIsOk()
    {
        // A killed client cannot damage a PostgreSQL server's files; a SQLite file is written by the process itself.
        if (TestStores.OnPostgres) return;
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string?)command.ExecuteScalar());
    }

    private async Task AssertStoreAsync(AppProcess app)
    {
        await using var store = app.CreateDbContext();
        var applications = await store.Applications.AsNoTracking().Select(a => new { a.Id, a.ExternalRef }).ToListAsync();
        var lenders = await store.Lenders.AsNoTracking().ToDictionaryAsync(l => l.Id, l => l.Code);
        var cappedProduct = await store.Products.AsNoTracking().Where(p => p.Code == "S1-CASH").Select(p => p.Id).SingleAsync();
        var allocations = await store.Allocations.AsNoTracking().Select(a => new { a.ApplicationId, a.LenderId, a.ProductId, a.BusinessDay }).ToListAsync();
        var accepted = await store.DeliveryAttempts.AsNoTracking().Where(a => a.Outcome == AttemptOutcome.Accepted)
            .Select(a => new { a.ApplicationId, a.LenderId }).ToListAsync();

        // Every 201 is there, once.
        var byRef = applications.ToLookup(a => a.ExternalRef);
        var lost = created.Where(c => !applications.Any(a => a.Id.Value == c.Value)).Select(c => c.Key).ToList();
        Assert.True(lost.Count == 0, $"Acknowledged with 201 but not in the store: {string.Join(", ", lost)}");
        Assert.All(created, c => Assert.Single(byRef[c.Key]));
        Assert.All(resubmitted, r => Assert.Equal(byRef[r.ExternalRef].Single().Id.Value, r.ApplicationId));

        // No lead with two lenders, in the store or as the lenders' servers saw it.
        Assert.All(allocations.GroupBy(a => a.ApplicationId), g => Assert.Single(g));
        Assert.All(accepted.GroupBy(a => a.ApplicationId), g => Assert.Single(g));
        var allocated = allocations.ToDictionary(a => a.ApplicationId.Value, a => lenders[a.LenderId]);
        Assert.All(accepted, a => Assert.Equal(lenders[a.LenderId], allocated.GetValueOrDefault(a.ApplicationId.Value)));
        Assert.Empty(acceptedByCapped.Keys.Intersect(acceptedByRefusing.Keys));
        Assert.All(acceptedByCapped, a => Assert.True(a.Value == 1 && allocated.GetValueOrDefault(a.Key) == CappedLender,
            $"{a.Key}: accepted {a.Value}× by {CappedLender}'s server, allocated to {allocated.GetValueOrDefault(a.Key) ?? "nobody"}"));
        Assert.All(acceptedByRefusing, a => Assert.True(a.Value == 1 && allocated.GetValueOrDefault(a.Key) == RefusingLender,
            $"{a.Key}: accepted {a.Value}× by {RefusingLender}'s server, allocated to {allocated.GetValueOrDefault(a.Key) ?? "nobody"}"));
        Assert.Contains(PullLender, allocated.Values);

        // The daily cap held, and was reached, so it was tested.
        var perDay = allocations.Where(a => a.ProductId == cappedProduct).GroupBy(a => a.BusinessDay).Select(g => g.Count()).ToList();
        log.WriteLine($"allocations {allocations.Count}; capped product per day: {string.Join(", ", perDay)}");
        Assert.All(perDay, count => Assert.True(count <= DailyCap, $"{count} allocations on a day to a product capped at {DailyCap}"));
        Assert.Contains(DailyCap, perDay);
    }

    private static StubReply Answer(StubRequest request, ConcurrentDictionary<Guid, int> accepted, bool refuse)
    {
        var wait = TimeSpan.FromMilliseconds(Random.Shared.Next(5, 31));
        if (refuse) return StubReply.Delay(wait, StubReply.Refuse("not for us"));
        var id = ApplicationIdOf(request);
        accepted.AddOrUpdate(id, 1, (_, n) => n + 1);
        return StubReply.Delay(wait, StubReply.AcceptPost($"REF-{id:N}", $"https://lender.example/continue/{id:N}"));
    }

    private static Guid ApplicationIdOf(StubRequest request) => Guid.Parse((string)request.Body["applicationId"]!);

    private static string Describe(ConcurrentDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"));

    private async Task<AppProcess> StartAsync()
    {
        var app = new AppProcess(databasePath);
        app.Settings["LoanHub:Seed:File"] = seedFile;
        // Long enough that a loaded machine does not turn lenders' answers into timeouts: a timed-out post may have
        // been accepted, and passing it on would be a double delivery by design, not by a crash.
        app.Settings["LoanHub:Delivery:DeadlineMs"] = "30000";
        lock (processes) processes.Add(app);
        await app.StartAsync();
        return app;
    }

    private ConfigurationDocument Document() => new()
    {
        Sources = [new SourceDocument("ADS", "Ad campaigns", SourceKey)],
        Lenders =
        [
            new LenderDocument(CappedLender, "Capped push lender", "crash-safety-lender-S1-key-0001", [Product("S1-CASH", DailyCap, weight: 40, priority: 1)],
                Delivery: new DeliveryDocument(null, capped.PostUrl.ToString(), capped.Secret, LenderDelivery.MaxTimeoutMs)),
            new LenderDocument(RefusingLender, "Refusing push lender", "crash-safety-lender-S2-key-0001", [Product("S2-CASH", null, weight: 30, priority: 2)],
                Delivery: new DeliveryDocument(null, refusing.PostUrl.ToString(), refusing.Secret, LenderDelivery.MaxTimeoutMs)),
            new LenderDocument(PullLender, "Pull lender", "crash-safety-lender-P1-key-0001", [Product("P1-CASH", null, weight: 30, priority: 3)]),
        ],
        Routing = new RoutingDocument(RoutingStrategy.Weighted),
    };

    private static ProductDocument Product(string code, int? dailyCap, int weight, int priority) =>
        new(code, code, ProductType.CashLoan, 1000, 100_000, 1, 36, 18, 60, 0, 0, ["31"], [], RiskTier.E,
            dailyCap, MonthlyBudget: null, weight, priority, new CommissionDocument(CommissionModel.CPL, 30, null));
}
