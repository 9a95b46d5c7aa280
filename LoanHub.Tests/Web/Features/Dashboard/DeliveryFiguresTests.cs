using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Dashboard;

/// <summary>The dashboard's delivery figures over the real application, its lenders answered by lender stubs over HTTP.</summary>
public class DeliveryFiguresTests
{
    private static int people = 700_000;

    private static int NextPerson() => Interlocked.Increment(ref people);

    // 12:00 China Standard Time, so that neither an advance of a day nor one of twenty minutes crosses into another business day by accident.
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Unmatched_applicants_are_split_by_cause_today_and_over_the_last_30_days()
    {
        var clock = new FakeTimeProvider(Noon.AddDays(-40));
        using var host = new LoanHubHost { Clock = clock };
        host.Settings["LoanHub:Delivery:DeadlineMs"] = "3000"; // the first call of a cold process (JIT, connection) must fit well inside it
        await using var lenders = await PushLenders.AddAsync(host, null,
            new PushLender("PX", "44"),
            // A timeout beyond the deadline: a hanging lender ends the delivery at the deadline, not at its own timeout.
            new PushLender("PY", "11", TimeoutMs: 6000));
        lenders["PX"].OnPost = _ => StubReply.Refuse("not for us");
        lenders["PY"].OnPost = _ => StubReply.Hang();
        var client = host.CreateClient();

        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "44"), UnmatchedCause.RefusedByAll); // 40 days ago: out of the window
        clock.SetUtcNow(Noon.AddDays(-1));
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "44"), UnmatchedCause.RefusedByAll);
        clock.SetUtcNow(Noon);
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "44"), UnmatchedCause.RefusedByAll);
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "11"), UnmatchedCause.Deadline);
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "31", amount: 150_000), UnmatchedCause.NoEligibleProduct);
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "44", amount: 150_000), UnmatchedCause.NoEligibleProduct);

        var snapshot = await host.Services.GetRequiredService<DashboardService>().LoadAsync();

        Assert.Equal(new UnmatchedBreakdown(NoEligibleProduct: 2, RefusedByAll: 1, Deadline: 1), snapshot.UnmatchedToday);
        Assert.Equal(new UnmatchedBreakdown(NoEligibleProduct: 2, RefusedByAll: 2, Deadline: 1), snapshot.Unmatched30Days);
        Assert.Equal(snapshot.Count(snapshot.Last30Days, ApplicationStatus.Unmatched), snapshot.Unmatched30Days.Total);
    }

    [Fact]
    public async Task Causes_are_the_same_when_refusals_that_fell_through_to_another_lender_outnumber_the_unmatched()
    {
        using var host = new LoanHubHost();
        // Priority: in Guangdong PA is asked first and refuses, then PB takes the lead; in Beijing only PC, which refuses.
        await using var lenders = await PushLenders.AddAsync(host, RoutingStrategy.Priority,
            new PushLender("PA", "44", Priority: 1), new PushLender("PB", "44", Priority: 2), new PushLender("PC", "11"));
        lenders["PA"].OnPost = _ => StubReply.Refuse("not today");
        lenders["PC"].OnPost = _ => StubReply.Refuse("not here");
        var client = host.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal("PB-CASH", (string?)(await ReadAsync(await PostAsync(client, PushLenders.Applicant(NextPerson(), "44"))))["routedTo"]?["productCode"]);
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "11"), UnmatchedCause.RefusedByAll);
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "31", amount: 150_000), UnmatchedCause.NoEligibleProduct);

        var snapshot = await host.Services.GetRequiredService<DashboardService>().LoadAsync();

        Assert.Equal(new UnmatchedBreakdown(NoEligibleProduct: 1, RefusedByAll: 1, Deadline: 0), snapshot.UnmatchedToday);
        Assert.Equal(new UnmatchedBreakdown(NoEligibleProduct: 1, RefusedByAll: 1, Deadline: 0), snapshot.Unmatched30Days);
    }

    [Fact]
    public async Task Lender_health_counts_acceptance_at_precheck_and_post_and_p95_latency_over_the_last_15_minutes()
    {
        var clock = new FakeTimeProvider(Noon.AddMinutes(-20));
        using var host = new LoanHubHost { Clock = clock };
        await using var lenders = await PushLenders.AddAsync(host, null, new PushLender("PZ", "44", Precheck: true, TimeoutMs: 2000));
        var stub = lenders["PZ"];
        var client = host.CreateClient();

        // Twenty minutes ago, outside the window: a slow refusal that would raise the p95 to 900 ms and add a refused pre-check.
        stub.OnPrecheck = _ => StubReply.Delay(TimeSpan.FromMilliseconds(900), StubReply.Refuse("slow no"));
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "44"), UnmatchedCause.RefusedByAll);

        clock.SetUtcNow(Noon);
        stub.OnPrecheck = _ => StubReply.Accept(price: 12m);
        stub.OnPost = _ => StubReply.Delay(TimeSpan.FromMilliseconds(300), StubReply.AcceptPost("PZ-1", "https://pz.example/continue/1"));
        Assert.Equal("PZ-CASH", (string?)(await ReadAsync(await PostAsync(client, PushLenders.Applicant(NextPerson(), "44"))))["routedTo"]?["productCode"]);
        stub.OnPrecheck = _ => StubReply.Refuse("known to us");
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "44"), UnmatchedCause.RefusedByAll);
        stub.OnPrecheck = _ => StubReply.Accept();
        stub.OnPost = _ => StubReply.Refuse("documents missing");
        await AssertUnmatchedAsync(host, client, PushLenders.Applicant(NextPerson(), "44"), UnmatchedCause.RefusedByAll);

        var health = (await host.Services.GetRequiredService<DashboardService>().LoadAsync()).DeliveryHealth;

        Assert.Equal(15, health.WindowMinutes);
        Assert.Equal(1, health.PushLenders);
        Assert.Empty(health.AutoPaused);
        Assert.Equal(3, health.Recent.Attempts);
        Assert.Equal((3, 2), (health.Recent.Prechecks, health.Recent.PrechecksAccepted));
        Assert.Equal(2.0 / 3, health.Recent.PrecheckAcceptance!.Value, 3);
        Assert.Equal((2, 1), (health.Recent.Posts, health.Recent.PostsAccepted));
        Assert.Equal(0.5, health.Recent.PostAcceptance);
        // Nearest rank over three attempts is the slowest of them, whatever the machine's speed: read from the attempts the
        // store holds in the window, so the slow refusal of twenty minutes ago must not be the one counted.
        await using var db = host.CreateDbContext();
        var samples = (await db.DeliveryAttempts.AsNoTracking().ToListAsync()).Select(LoanHub.Core.Delivery.AttemptSample.Of).ToList();
        var windowStart = Noon - TimeSpan.FromMinutes(health.WindowMinutes);
        Assert.Contains(samples, s => s.At <= windowStart); // the old refusal is in the store, outside the window
        Assert.Equal(samples.Where(s => s.At > windowStart).Max(s => s.LatencyMs), health.Recent.P95LatencyMs);
    }

    [Fact]
    public async Task Only_lenders_paused_by_the_system_are_listed_as_auto_paused_with_their_reason()
    {
        using var host = new LoanHubHost();
        var service = host.Services.GetRequiredService<DashboardService>();
        Assert.Empty((await service.LoadAsync()).DeliveryHealth.AutoPaused);
        await using (var db = host.CreateDbContext())
        {
            var byCode = await db.Lenders.ToDictionaryAsync(l => l.Code);
            byCode["L1"].PauseAutomatically("Paused automatically: 12 timeouts and 9 errors in 21 attempts over the last 15 minutes.");
            byCode["L2"].Pause(); // by an operator: not the system's doing
            await db.SaveChangesAsync();
        }

        var health = (await service.LoadAsync()).DeliveryHealth;

        var paused = Assert.Single(health.AutoPaused);
        Assert.Equal(("L1", "First Lender"), (paused.LenderCode, paused.LenderName));
        Assert.StartsWith("Paused automatically: 12 timeouts", paused.Reason);
        Assert.Equal(0, health.PushLenders);
        Assert.Equal(0, health.Recent.Attempts);
        Assert.Null(health.Recent.P95LatencyMs);
    }

    /// <summary>Posts the applicant and checks the setup did what the test means: unmatched, for the expected cause.</summary>
    private static async Task AssertUnmatchedAsync(LoanHubHost host, HttpClient client, System.Text.Json.Nodes.JsonObject applicant, UnmatchedCause expected)
    {
        var response = await PostAsync(client, applicant);
        var body = await ReadAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal("Unmatched", (string?)body["status"]);
        var id = new LoanHub.Core.Domain.ApplicationId(Guid.Parse((string)body["applicationId"]!));
        await using var db = host.CreateDbContext();
        Assert.Equal(expected, (await db.Applications.AsNoTracking().SingleAsync(a => a.Id == id)).UnmatchedCause);
    }
}
