using System.Diagnostics;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Dashboard;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Web.Features.Cluster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Cluster;

/// <summary>
/// Deliveries where two instances share a PostgreSQL store: each lead is sent by one instance at a time, and what an
/// instance that stops leaves in flight is finished by the other (ADR 0013).
/// </summary>
public sealed class TwoInstanceDeliveryTests
{
    private const string Why = "several instances share a PostgreSQL store; a SQLite file has one";

    private static LoanHubHost Instance(string store, string seedFile)
    {
        var host = LoanHubHost.OnDatabase(store);
        host.Settings["LoanHub:Seed:File"] = seedFile;
        host.Settings["LoanHub:Delivery:DeadlineMs"] = "60000"; // the takeover, not the deadline, ends these deliveries
        return host;
    }

    private static async Task<(LoanHubHost First, LoanHubHost Second, PushLenders Lenders)> StartAsync(string store)
    {
        var lenders = await PushLenders.StartAsync(null, new PushLender("PK", "44", TimeoutMs: 10_000));
        var seedFile = lenders.SeedFile;
        var first = Instance(store, seedFile);
        _ = first.Server;
        var second = Instance(store, seedFile);
        _ = second.Server;
        return (first, second, lenders);
    }

    private static async Task<DeliveryAttempt[]> AttemptsAsync(LoanHubHost host, ApplicationId id)
    {
        await using var db = host.CreateDbContext();
        return await db.DeliveryAttempts.AsNoTracking().Where(a => a.ApplicationId == id).OrderBy(a => a.Sequence).ToArrayAsync();
    }

    private static async Task<ApplicationStatus> StatusAsync(LoanHubHost host, ApplicationId id)
    {
        await using var db = host.CreateDbContext();
        return await db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync();
    }

    private static async Task<ApplicationId> AppliedAsync(LoanHubHost host, string externalRef)
    {
        await using var db = host.CreateDbContext();
        return await db.Applications.Where(a => a.ExternalRef == externalRef).Select(a => a.Id).SingleAsync();
    }

    [PostgresFact(Why)]
    public async Task A_delivery_left_in_flight_by_an_instance_that_stops_is_finished_by_the_other_with_the_same_key()
    {
        var store = LoanHubHost.NewDatabasePath();
        var (first, second, lenders) = await StartAsync(store);
        await using var _ = lenders;
        using var __ = second;
        var stub = lenders["PK"];
        stub.RememberIdempotencyKeys = false;
        var posted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        stub.OnPost = _ =>
        {
            if (Interlocked.Increment(ref calls) > 1) return StubReply.Accept();
            posted.TrySetResult();
            return StubReply.Hang(); // the first instance stops before the lender answers
        };

        var body = PushLenders.Applicant(900_100, "44");
        var waiting = PostAsync(first.CreateClient(), body);
        await posted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var id = await AppliedAsync(first, (string)body["externalRef"]!);
        var sentBy = Assert.Single(await AttemptsAsync(first, id)).Sender;
        first.Dispose(); // a clean stop: its call is dropped, its attempt stays in flight and it signs off
        await Assert.ThrowsAnyAsync<Exception>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));

        var watch = Stopwatch.StartNew();
        while (await StatusAsync(second, id) != ApplicationStatus.Routed && watch.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);

        Assert.Equal(ApplicationStatus.Routed, await StatusAsync(second, id));
        var attempt = Assert.Single(await AttemptsAsync(second, id));
        Assert.Equal(AttemptOutcome.Accepted, attempt.Outcome);
        Assert.NotEqual(sentBy, attempt.Sender);
        Assert.Equal(second.Services.GetRequiredService<WriterTurns>().Instance, attempt.Sender);
        var received = stub.Received.Where(r => r.Path == stub.PostUrl.AbsolutePath).ToList();
        Assert.Equal(2, received.Count);
        Assert.Single(received.Select(r => r.IdempotencyKey).Distinct()); // sent again as the same delivery
    }

    [PostgresFact(Why)]
    public async Task A_live_instances_delivery_is_never_sent_by_the_other()
    {
        var store = LoanHubHost.NewDatabasePath();
        var (first, second, lenders) = await StartAsync(store);
        await using var _ = lenders;
        using var __ = first;
        using var ___ = second;
        var stub = lenders["PK"];
        // Slower than several beats of the membership: the second instance looks for deliveries to take over meanwhile.
        var slow = ClusterMembership.Beat * 3;
        stub.OnPost = _ => StubReply.Delay(slow, StubReply.Accept());

        var body = PushLenders.Applicant(900_200, "44");
        var answer = await ReadAsync(await PostAsync(first.CreateClient(), body));

        Assert.Equal("Routed", (string?)answer["status"]);
        Assert.Single(stub.Received, r => r.Path == stub.PostUrl.AbsolutePath);
        var id = await AppliedAsync(second, (string)body["externalRef"]!);
        Assert.Equal(first.Services.GetRequiredService<WriterTurns>().Instance, Assert.Single(await AttemptsAsync(second, id)).Sender);
    }
}
