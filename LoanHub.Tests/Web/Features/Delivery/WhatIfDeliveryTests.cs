using LoanHub.Web.Features.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>The what-if's actual side counts the offers lenders were really made, and the leads every lender refused.</summary>
public class WhatIfDeliveryTests(EvenSplitHost fixture) : IClassFixture<EvenSplitHost>
{
    [Fact]
    public async Task Actual_side_counts_every_offer_made_and_the_leads_no_lender_took()
    {
        var l2Takes = true;
        fixture.L1.OnPrecheck = _ => StubReply.Accept();
        fixture.L1.OnPost = _ => StubReply.Refuse("not this one");
        fixture.L2.OnPost = _ => l2Takes ? StubReply.AcceptPost("L2", "https://l2.example/c") : StubReply.Refuse("full");
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 8; i++) await PostAsync(fixture.Client, ValidBody(nationalId: NationalId(680_100 + i)), DeliveryHost.SourceKey);
        l2Takes = false;
        for (var i = 0; i < 3; i++) await PostAsync(fixture.Client, ValidBody(nationalId: NationalId(680_200 + i)), DeliveryHost.SourceKey);

        var routing = fixture.Host.Services.GetRequiredService<RoutingService>();
        var view = await routing.LoadAsync();
        var result = (await routing.SimulateAsync(new RoutingProposal(view.Strategy, view.Products), started, DateTimeOffset.UtcNow.AddMinutes(1),
            null, CancellationToken.None)).Result;

        await using var db = fixture.Host.CreateDbContext();
        var attempts = await db.DeliveryAttempts.AsNoTracking().GroupBy(a => a.ProductId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count);
        // Replayed, routed, and offered to both lenders and refused by both, with every offer the store holds.
        Assert.Equal((11, 8, 3, attempts.Values.Sum()), (result.Replayed, result.ActualRouted, result.ActualUnplaced, result.ActualOffered));
        Assert.All(result.Products.Where(p => p.ActualOffered > 0), p => Assert.Equal(attempts[p.ProductId], p.ActualOffered));
        Assert.Equal(11, result.Products.Single(p => p.ProductCode == "L2-MICRO").ActualOffered);
    }
}
