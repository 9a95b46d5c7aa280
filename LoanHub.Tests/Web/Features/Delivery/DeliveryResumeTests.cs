using System.Net;
using LoanHub.Core.Delivery;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

public class DeliveryResumeTests : IAsyncLifetime
{
    private readonly DeliveryHost fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();
    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Post_in_flight_when_the_process_stops_is_sent_again_with_the_same_key_and_the_resubmission_gets_the_final_answer()
    {
        fixture.L1.RememberIdempotencyKeys = false;
        var posted = new TaskCompletionSource<StubRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.L1.OnPost = request =>
        {
            posted.TrySetResult(request);
            return StubReply.Hang();
        };
        var applicant = ValidBody(nationalId: NationalId(640_001));
        var databasePath = fixture.Host.DatabasePath;
        var first = PostAsync(fixture.Client, applicant, DeliveryHost.SourceKey); // never answered: the process goes away
        var inFlight = await posted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await fixture.Host.DisposeAsync(); // the process stops with the post unanswered
        _ = first.ContinueWith(t => t.Exception, TaskScheduler.Default);

        await using (var db = fixture.NewHost(databasePath))
        {
            var resent = new TaskCompletionSource<StubRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            fixture.L1.OnPost = request =>
            {
                resent.TrySetResult(request);
                return StubReply.AcceptPost("AFTER-RESTART", "https://l1.example/resumed");
            };
            using var client = db.CreateClient(); // starts the host, which resumes what was in flight
            var again = await resent.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(inFlight.IdempotencyKey, again.IdempotencyKey);
            Assert.True(again.SignatureValid);

            var response = await PostAsync(client, applicant, DeliveryHost.SourceKey);
            var body = await ReadAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Routed", (string?)body["status"]);
            Assert.Equal("AFTER-RESTART", (string?)body["routedTo"]?["lenderRef"]);
            Assert.Equal(1, fixture.L1.Received.Count(r => r.IdempotencyKey == inFlight.IdempotencyKey && r.Path == "/applications") - 1);

            await using var store = db.CreateDbContext();
            Assert.False(await store.DeliveryAttempts.AnyAsync(a => a.Outcome == AttemptOutcome.InFlight));
            Assert.Equal(1, await store.Allocations.CountAsync());
        }
    }
}
