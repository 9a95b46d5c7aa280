using System.Net;
using System.Text.Json;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Delivery;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>
/// Resume after a real crash: LoanHub.Web runs as a child process (<see cref="AppProcess"/>) and is killed with SIGKILL
/// while its post waits on the lender, so nothing a graceful stop does (cancelling the dispatcher, stopping the host)
/// can make up for what the store did not keep. <see cref="DeliveryResumeTests"/> is the graceful, in-process case.
/// </summary>
[Trait("Category", AppProcess.Category)]
public sealed class CrashResumeTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const string SourceKey = "crash-source-ADS-key-0001";
    private const string LenderKey = "crash-lender-C1-key-0001";

    private readonly LenderStub lender = new("stub-secret-C1-0123456789abcdefghijklmnop");
    private readonly string databasePath = LoanHubHost.NewDatabasePath();
    private readonly string seedFile = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"crash-{Guid.NewGuid():N}.json");
    private readonly List<AppProcess> processes = [];

    public async Task InitializeAsync()
    {
        await lender.StartAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(seedFile)!);
        await File.WriteAllTextAsync(seedFile, JsonSerializer.Serialize(Document(), ConfigurationDocument.JsonOptions));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in processes)
        {
            await app.DisposeAsync();
            log.WriteLine($"--- LoanHub.Web process over {databasePath} ---{Environment.NewLine}{app.Output}");
        }
        await lender.DisposeAsync();
    }

    [Fact(Timeout = 120_000)] // a backstop for a hang; every wait below has its own bound
    public async Task Post_in_flight_when_the_process_is_killed_is_sent_again_with_the_same_key_after_restart_and_the_resubmission_gets_the_final_answer()
    {
        lender.RememberIdempotencyKeys = false; // the key must come again whatever the lender remembers
        var posted = new TaskCompletionSource<StubRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lender.OnPost = request =>
        {
            posted.TrySetResult(request);
            return StubReply.Hang();
        };
        var applicant = ValidBody(nationalId: NationalId(720_001));

        var crashed = await StartAsync();
        var first = PostAsync(crashed.Client, applicant, SourceKey);
        var inFlight = await posted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        crashed.Kill();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => first); // the source never heard back

        DeliveryAttempt left;
        await using (var store = crashed.CreateDbContext())
        {
            left = Assert.Single(await store.DeliveryAttempts.AsNoTracking().ToListAsync());
            Assert.Equal(AttemptOutcome.InFlight, left.Outcome);
            Assert.Equal(LeadContract.IdempotencyKey(left.Id.ToString(), DeliveryStage.Post), inFlight.IdempotencyKey);
            Assert.Equal(0, await store.Allocations.CountAsync());
        }

        var resent = new TaskCompletionSource<StubRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lender.OnPost = request =>
        {
            resent.TrySetResult(request);
            return StubReply.AcceptPost("AFTER-CRASH", "https://c1.example/resumed");
        };
        var restarted = await StartAsync(); // resumes what was in flight as it starts
        var again = await resent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("/applications", again.Path);
        Assert.Equal(inFlight.IdempotencyKey, again.IdempotencyKey);
        Assert.True(again.SignatureValid);

        var response = await PostAsync(restarted.Client, applicant, SourceKey);
        var body = await ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(left.ApplicationId.Value.ToString(), (string?)body["applicationId"]);
        Assert.Equal("Routed", (string?)body["status"]);
        Assert.Equal("AFTER-CRASH", (string?)body["routedTo"]?["lenderRef"]);
        Assert.Equal([inFlight.IdempotencyKey, inFlight.IdempotencyKey], lender.Received.Where(r => r.Path == "/applications").Select(r => r.IdempotencyKey));

        await using var after = restarted.CreateDbContext();
        var attempt = Assert.Single(await after.DeliveryAttempts.AsNoTracking().ToListAsync());
        Assert.Equal(left.Id, attempt.Id);
        Assert.Equal(AttemptOutcome.Accepted, attempt.Outcome);
        Assert.Equal("AFTER-CRASH", attempt.LenderRef);
        Assert.Equal(1, await after.Allocations.CountAsync());
    }

    private async Task<AppProcess> StartAsync()
    {
        var app = new AppProcess(databasePath);
        app.Settings["LoanHub:Seed:File"] = seedFile;
        // Long enough, even on a busy machine, that the post is sent and the kill lands before the deadline times it out.
        app.Settings["LoanHub:Delivery:DeadlineMs"] = "30000";
        processes.Add(app);
        await app.StartAsync();
        return app;
    }

    private ConfigurationDocument Document() => new()
    {
        Sources = [new SourceDocument("ADS", "Ad campaigns", SourceKey)],
        Lenders =
        [
            new LenderDocument("C1", "Crash Lender", LenderKey,
                [new ProductDocument("C1-CASH", "C1 cash loan", ProductType.CashLoan, 1000, 100_000, 1, 36, 18, 60, 0, 0, ["31"], [], RiskTier.E,
                    DailyCap: null, MonthlyBudget: null, Weight: 100, Priority: 1, new CommissionDocument(CommissionModel.CPL, 30, null))],
                Delivery: new DeliveryDocument(null, lender.PostUrl.ToString(), lender.Secret, LenderDelivery.MaxTimeoutMs)),
        ],
        Routing = new RoutingDocument(RoutingStrategy.Priority),
    };
}
