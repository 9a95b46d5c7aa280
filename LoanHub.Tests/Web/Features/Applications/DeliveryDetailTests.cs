using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Dashboard;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Web.Features.Applications;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>The detail's delivery as the service reads it from the store, after real deliveries to lender stubs.</summary>
public class DeliveryDetailTests
{
    private static int people = 705_000;

    private static ApplicationsService Service(LoanHubHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<ApplicationsService>();

    [Fact]
    public async Task Detail_lists_every_attempt_in_order_with_its_lender_product_answers_and_the_accepted_reference()
    {
        using var host = new LoanHubHost();
        // Priority: PA is offered first, then PB.
        await using var lenders = await PushLenders.AddAsync(host, RoutingStrategy.Priority,
            new PushLender("PA", "44", Precheck: true, Priority: 1), new PushLender("PB", "44", Priority: 2));
        lenders["PA"].OnPrecheck = _ => StubReply.Accept(price: 18m);
        lenders["PA"].OnPost = _ => StubReply.Refuse("income not verified");
        lenders["PB"].OnPost = _ => StubReply.AcceptPost("PB-REF-1", "https://pb.example/continue/1");
        var client = host.CreateClient();
        var created = await ReadAsync(await PostAsync(client, PushLenders.Applicant(Interlocked.Increment(ref people), "44")));
        Assert.Equal("PB-CASH", (string?)created["routedTo"]?["productCode"]);

        var detail = await Service(host).GetAsync(new ApplicationId(Guid.Parse((string)created["applicationId"]!)));

        Assert.NotNull(detail);
        var attempts = detail.Delivery.Attempts;
        Assert.Equal([(1, "PA", "PA-CASH"), (2, "PB", "PB-CASH")], attempts.Select(a => (a.Sequence, a.LenderCode, a.ProductCode)));
        Assert.Equal((CallResult.Accepted, 18m, CallResult.Refused, AttemptOutcome.Refused, "income not verified"),
            (attempts[0].PrecheckResult, attempts[0].Price, attempts[0].PostResult, attempts[0].Outcome, attempts[0].Reason));
        Assert.Equal((false, AttemptOutcome.Accepted, "PB-REF-1", "https://pb.example/continue/1"),
            (attempts[1].WithPrecheck, attempts[1].Outcome, attempts[1].LenderRef, attempts[1].RedirectUrl));
        Assert.All(attempts, a => Assert.NotNull(a.PostLatencyMs));
        Assert.False(detail.Delivery.PulledByLender);
        Assert.Equal("PB-REF-1", detail.Delivery.Accepted?.LenderRef);
        Assert.Contains(detail.Timeline, e => e.Title == "Post to PB · PB-CASH: accepted" && e.Link == "https://pb.example/continue/1");
    }

    [Fact]
    public async Task Lead_taken_by_a_pull_lender_has_no_attempts_and_reads_as_pulled()
    {
        using var host = new LoanHubHost();
        var created = await ReadAsync(await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)))));
        Assert.Equal("Routed", (string?)created["status"]);

        var detail = await Service(host).GetAsync(new ApplicationId(Guid.Parse((string)created["applicationId"]!)));

        Assert.NotNull(detail);
        Assert.Empty(detail.Delivery.Attempts);
        Assert.True(detail.Delivery.PulledByLender);
        Assert.Null(detail.Delivery.Cause);
        Assert.Contains(detail.Timeline, e => e.Kind == TimelineKind.Routed && e.Detail!.StartsWith(DeliveryText.PullLender));
    }
}
