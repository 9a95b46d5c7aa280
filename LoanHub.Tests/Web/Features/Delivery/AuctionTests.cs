using System.Text.Json.Nodes;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>The delivery fixture under the Auction strategy, with L1-CASH sold at auction (Bid, at least ¥10).</summary>
public sealed class AuctionHost : DeliveryHost
{
    public override ConfigurationDocument Document()
    {
        var document = base.Document();
        return document with
        {
            Routing = new RoutingDocument(RoutingStrategy.Auction),
            Lenders = [.. document.Lenders.Select(l => l with
            {
                Products = [.. l.Products!.Select(p => p.Code == "L1-CASH" ? p with { Commission = new CommissionDocument(CommissionModel.Bid, null, null, MinPrice: 10) } : p)],
            })],
        };
    }
}

public class AuctionTests(AuctionHost fixture) : IClassFixture<AuctionHost>
{
    private static int people = 660_000;

    private static StubReply Bid(StubRequest request, decimal cash, decimal inst) =>
        StubReply.Accept((string?)request.Body["productCode"] == "L1-CASH" ? cash : inst);

    private async Task<JsonObject> SubmitAsync()
    {
        var body = ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)));
        return await ReadAsync(await PostAsync(fixture.Client, body, DeliveryHost.SourceKey));
    }

    private void LendersAccept()
    {
        fixture.L1.OnPost = _ => StubReply.AcceptPost("L1-REF", "https://l1.example/c");
        fixture.L2.OnPost = _ => StubReply.AcceptPost("L2-REF", "https://l2.example/c");
    }

    [Fact]
    public async Task Every_lender_is_prechecked_the_best_bid_is_posted_and_earns_its_price_on_delivery()
    {
        LendersAccept();
        fixture.L1.OnPrecheck = r => Bid(r, cash: 45.5m, inst: 20m);
        var body = await SubmitAsync();

        Assert.Equal("L1-CASH", (string?)body["routedTo"]?["productCode"]);
        var id = (string)body["applicationId"]!;
        var attempts = await fixture.AttemptsAsync(id);
        // Both L1 products bid (L2 has no pre-check and bids its expected commission); only the winner is posted.
        Assert.Equal(2, attempts.Count(a => a.WithPrecheck && a.PrecheckResult == CallResult.Accepted));
        var won = Assert.Single(attempts, a => a.Outcome == AttemptOutcome.Accepted);
        Assert.Equal(45.5m, won.Price);
        Assert.All(attempts.Where(a => a != won), a => Assert.Equal(AttemptOutcome.Abandoned, a.Outcome));
        Assert.Single(fixture.L1.Received, r => r.Path == "/applications" && r.IdempotencyKey == $"{won.Id}:post");
        Assert.DoesNotContain(fixture.L2.Received, r => (string?)r.Body["applicationId"] == id);

        await using var db = fixture.Host.CreateDbContext();
        var applicationId = new LoanHub.Core.Domain.ApplicationId(Guid.Parse(id));
        var delivered = await db.CommissionEntries.AsNoTracking().SingleAsync(e => e.ApplicationId == applicationId && e.Event == CommissionEvent.Delivered);
        Assert.Equal(CommissionModel.Bid, delivered.Model);
        Assert.Equal(45.5m, delivered.Amount);
    }

    [Fact]
    public async Task A_bid_under_the_minimum_is_a_refusal_and_a_refused_post_falls_through_by_price()
    {
        LendersAccept();
        fixture.L1.OnPrecheck = r => Bid(r, cash: 9.99m, inst: 500m);
        fixture.L1.OnPost = _ => StubReply.Refuse("changed our mind");
        var body = await SubmitAsync();

        // L1-INST bid 500 but its post was refused; L1-CASH's 9.99 is under its floor; L2 (no pre-check, CPL ¥30) takes it.
        Assert.Equal("L2-MICRO", (string?)body["routedTo"]?["productCode"]);
        var attempts = await fixture.AttemptsAsync((string)body["applicationId"]!);
        var cash = Assert.Single(attempts, a => a.Price == 9.99m);
        Assert.Equal(AttemptOutcome.Refused, cash.Outcome);
        Assert.Contains("minimum", cash.Reason);
        var inst = Assert.Single(attempts, a => a.Price == 500m);
        Assert.Equal((AttemptOutcome.Refused, CallResult.Refused), (inst.Outcome, inst.PostResult));
    }

    [Fact]
    public async Task Precheck_refusal_keeps_every_product_of_that_lender_out_of_the_auction()
    {
        LendersAccept();
        fixture.L1.OnPrecheck = _ => StubReply.Refuse("existing customer");
        var body = await SubmitAsync();

        Assert.Equal("L2-MICRO", (string?)body["routedTo"]?["productCode"]);
        var attempts = await fixture.AttemptsAsync((string)body["applicationId"]!);
        Assert.Equal(2, attempts.Count(a => a.Outcome == AttemptOutcome.Refused && a.PrecheckResult == CallResult.Refused));
        Assert.DoesNotContain(fixture.L1.Received, r => r.Path == "/applications" && attempts.Any(a => r.IdempotencyKey.StartsWith(a.Id.ToString(), StringComparison.Ordinal)));
    }
}
