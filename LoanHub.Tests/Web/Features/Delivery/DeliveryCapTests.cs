using LoanHub.Core.Delivery;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>L1-CASH may take 10 leads a day; its lender refuses every second post.</summary>
public sealed class CappedDeliveryHost : DeliveryHost
{
    public const int Cap = 10;
    protected override int? CashDailyCap => Cap;
}

public class DeliveryCapTests(CappedDeliveryHost fixture) : IClassFixture<CappedDeliveryHost>
{
    private static int people = 620_000;

    [Fact]
    public async Task Daily_cap_is_never_exceeded_under_40_concurrent_intakes_while_the_lender_refuses_half_its_posts_and_no_slot_stays_held()
    {
        var cashPosts = 0;
        var cashAccepted = 0;
        fixture.L1.OnPost = request =>
        {
            if ((string?)request.Body["productCode"] != "L1-CASH") return StubReply.AcceptPost("INST", "https://l1.example/i");
            if (Interlocked.Increment(ref cashPosts) % 2 == 0) return StubReply.Refuse("not today");
            Interlocked.Increment(ref cashAccepted);
            return StubReply.Delay(TimeSpan.FromMilliseconds(20), StubReply.AcceptPost("CASH", "https://l1.example/c"));
        };

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => SubmitAsync()));
        Assert.All(burst, status => Assert.Contains(status, new[] { "Routed", "Unmatched" }));
        Assert.True(await CashAllocationsAsync() <= CappedDeliveryHost.Cap);

        // Go on until the cap is reached: once it is, L1-CASH is no longer offered at all.
        for (var i = 0; i < 60 && await CashAllocationsAsync() < CappedDeliveryHost.Cap; i++) await SubmitAsync();

        Assert.Equal(CappedDeliveryHost.Cap, await CashAllocationsAsync());
        Assert.Equal(cashAccepted, await CashAllocationsAsync()); // every lead the lender took is booked, no more
        var offeredBefore = cashPosts;
        await SubmitAsync();
        Assert.Equal(offeredBefore, cashPosts);
        Assert.Equal(0, fixture.Engine.PlacementsInFlight);
        await using var db = fixture.Host.CreateDbContext();
        Assert.False(await db.DeliveryAttempts.AnyAsync(a => a.Outcome == AttemptOutcome.InFlight));
    }

    private async Task<string> SubmitAsync()
    {
        var body = ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)));
        return (string)(await ReadAsync(await PostAsync(fixture.Client, body, DeliveryHost.SourceKey)))["status"]!;
    }

    private async Task<int> CashAllocationsAsync()
    {
        await using var db = fixture.Host.CreateDbContext();
        return await db.Allocations.CountAsync(a => db.Products.Any(p => p.Id == a.ProductId && p.Code == "L1-CASH"));
    }
}
