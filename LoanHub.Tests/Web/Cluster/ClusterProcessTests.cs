using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Dashboard;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Tests.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Cluster;

/// <summary>
/// Two real instances (separate processes) on one PostgreSQL database, intake spread over both at full speed, one of
/// them SIGKILLed in the middle: what was acknowledged is stored, its deliveries in flight are finished by the other,
/// and the cluster's guarantees hold as one instance's would (ADR 0013).
/// </summary>
[Trait("Category", AppProcess.Category)]
public sealed class ClusterProcessTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const string Why = "several instances share a PostgreSQL store; a SQLite file has one";
    private const int Cap = 60;

    private readonly string store = LoanHubHost.NewDatabasePath();
    private readonly List<AppProcess> processes = [];
    private PushLenders? lenders;
    private string? seedFile;

    public async Task InitializeAsync()
    {
        if (!TestStores.OnPostgres) return;
        lenders = await PushLenders.StartAsync(null, new PushLender("PQ", "44", TimeoutMs: 10_000, DailyCap: Cap));
        seedFile = lenders.SeedFile;
        // Answers take a while, so that deliveries are in flight when an instance dies.
        lenders["PQ"].OnPost = _ => StubReply.Delay(TimeSpan.FromMilliseconds(300), StubReply.Accept());
    }

    public async Task DisposeAsync()
    {
        foreach (var process in processes) await process.DisposeAsync();
        if (lenders is not null) await lenders.DisposeAsync();
    }

    private async Task<AppProcess> StartAsync()
    {
        var app = new AppProcess(store);
        app.Settings["LoanHub:Seed:File"] = seedFile;
        app.Settings["LoanHub:Delivery:DeadlineMs"] = "60000"; // a takeover after the lease is not a deadline's business
        processes.Add(app);
        await app.StartAsync();
        return app;
    }

    [PostgresFact(Why)]
    public async Task Intake_over_two_processes_with_one_killed_loses_nothing_acknowledged_and_keeps_every_guarantee()
    {
        var first = await StartAsync();
        var second = await StartAsync();
        var acknowledged = new ConcurrentDictionary<string, string>(); // externalRef → application id
        var answers = new ConcurrentBag<HttpStatusCode>();
        var person = 910_000;
        // At least 6 s, and on until the cap has turned an applicant away (a busy machine takes longer); at most 90 s.
        var running = Stopwatch.StartNew();
        var capReached = false;
        bool Running() => running.Elapsed < TimeSpan.FromSeconds(90) && (running.Elapsed < TimeSpan.FromSeconds(6) || !Volatile.Read(ref capReached));
        var killed = false;

        async Task PostLoopAsync(int poster)
        {
            var n = 0;
            while (Running())
            {
                var target = (poster + n++) % 2 == 0 || killed ? second : first;
                var id = Interlocked.Increment(ref person);
                // Every fourth applicant is someone already sent (a duplicate, maybe at the other instance at once).
                var body = PushLenders.Applicant(id % 4 == 0 ? id - 3 : id, "44");
                await SendAsync(target, body);
                // The same request again, at the other instance: answered once.
                if (id % 5 == 0) await SendAsync(target == first && !killed ? second : first, body);
            }
        }

        async Task SendAsync(AppProcess target, JsonObject body)
        {
            try
            {
                using var response = await PostAsync(target.Client, body.DeepClone());
                answers.Add(response.StatusCode);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    var answer = await ReadAsync(response);
                    var id = (string)answer["applicationId"]!;
                    // The push product is the only one that takes these applicants, and its lender accepts them all.
                    if ((string?)answer["status"] == "Unmatched") Volatile.Write(ref capReached, true);
                    Assert.Equal(id, acknowledged.GetOrAdd((string)body["externalRef"]!, id)); // the same request, the same application
                }
            }
            catch (HttpRequestException)
            {
                // The killed instance: never acknowledged, so nothing is owed.
            }
            catch (TaskCanceledException)
            {
            }
        }

        var posters = Enumerable.Range(0, 6).Select(PostLoopAsync).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        // Killed while it is sending: some of its deliveries are in flight.
        var sentByFirst = $":{first.ProcessId}:";
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await using var db = second.CreateDbContext();
            if (await db.DeliveryAttempts.AnyAsync(a => a.Outcome == AttemptOutcome.InFlight && a.Sender!.Contains(sentByFirst))) break;
            await Task.Delay(20);
        }
        first.Kill();
        killed = true;
        await Task.WhenAll(posters);
        log.WriteLine($"{acknowledged.Count} applications acknowledged; answers: " +
            string.Join(", ", answers.GroupBy(a => a).Select(g => $"{(int)g.Key}×{g.Count()}")));

        // The killed instance's deliveries are finished by the other once its lease runs out.
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using var db = second.CreateDbContext();
            if (!await db.DeliveryAttempts.AnyAsync(a => a.Outcome == AttemptOutcome.InFlight)) break;
            await Task.Delay(250);
        }
        log.WriteLine($"no delivery in flight {settle.Elapsed.TotalSeconds:0.0} s after the posters stopped");

        await using var store = second.CreateDbContext();
        var applications = await store.Applications.AsNoTracking().Select(a => new { a.Id, a.ExternalRef, a.IdentityHash, a.Status }).ToListAsync();
        var byRef = applications.ToDictionary(a => a.ExternalRef);
        Assert.All(acknowledged, a => Assert.Equal(a.Value, byRef[a.Key].Id.ToString())); // nothing acknowledged lost
        Assert.DoesNotContain(applications, a => a.Status == ApplicationStatus.Received); // every delivery ended
        Assert.False(await store.DeliveryAttempts.AnyAsync(a => a.Outcome == AttemptOutcome.InFlight));
        Assert.True(applications.Count(a => a.Status == ApplicationStatus.Routed) > 10, "a fair share was routed");

        // Caps, duplicates and delivery-once, over both instances.
        var perDay = await store.Allocations.GroupBy(a => new { a.ProductId, a.BusinessDay }).Select(g => g.Count()).ToListAsync();
        Assert.All(perDay, count => Assert.True(count <= Cap, $"{count} leads under a daily cap of {Cap}"));
        Assert.All(applications.Where(a => a.Status == ApplicationStatus.Routed).GroupBy(a => a.IdentityHash),
            g => Assert.True(g.Count() == 1, "one person routed twice"));
        var accepted = await store.DeliveryAttempts.Where(a => a.Outcome == AttemptOutcome.Accepted).GroupBy(a => a.ApplicationId).Select(g => g.Count()).ToListAsync();
        Assert.All(accepted, count => Assert.Equal(1, count));
        Assert.Equal(await store.Allocations.CountAsync(), await store.Allocations.Select(a => a.ApplicationId).Distinct().CountAsync());
        Assert.Equal(applications.Count(a => a.Status == ApplicationStatus.Routed), await store.Allocations.CountAsync());
        Assert.Contains("Took over", second.Output); // the killed instance's deliveries in flight were finished here
        Assert.Contains(perDay, count => count == Cap); // the cap was reached, and held
    }

    [PostgresFact(Why)]
    public async Task A_sign_in_on_one_instance_is_accepted_by_the_other()
    {
        var first = await StartAsync();
        var second = await StartAsync();
        var cookies = new CookieContainer();
        using var onFirst = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = first.Client.BaseAddress };
        await ReportTraffic.SignInAsync(onFirst, LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        // The sign-in cookie is Secure, which a client keeps from plain HTTP on loopback; it is sent by hand, as a browser behind TLS would.
        var signedIn = string.Join("; ", cookies.GetAllCookies().Select(c => $"{c.Name}={c.Value}"));
        using var onSecond = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = second.Client.BaseAddress };

        Assert.Equal(HttpStatusCode.Redirect, (await onSecond.GetAsync("/applications")).StatusCode); // without it, to the sign-in page
        using var request = new HttpRequestMessage(HttpMethod.Get, "/applications");
        request.Headers.Add("Cookie", signedIn);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.SendAsync(request)).StatusCode);
    }
}
