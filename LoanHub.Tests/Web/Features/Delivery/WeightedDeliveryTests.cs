using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>Weighted routing between L1-CASH and L2-MICRO at 50/50 (L1-INST out with weight 0).</summary>
public sealed class EvenSplitHost : DeliveryHost
{
    public override ConfigurationDocument Document()
    {
        var document = base.Document();
        return document with
        {
            Routing = new RoutingDocument(RoutingStrategy.Weighted),
            Lenders = [.. document.Lenders.Select(l => l with
            {
                Products = [.. l.Products!.Select(p => p.Code switch
                {
                    "L1-INST" => p with { Weight = 0 },
                    _ => p with { Weight = 50 },
                })],
            })],
        };
    }
}

public class WeightedDeliveryTests(EvenSplitHost fixture) : IClassFixture<EvenSplitHost>
{
    [Fact]
    public async Task Weighted_shares_hold_over_the_leads_lenders_accepted_even_when_one_refuses_half_its_posts()
    {
        var posts = 0;
        fixture.L1.OnPrecheck = _ => StubReply.Accept();
        fixture.L1.OnPost = _ => ++posts % 2 == 0 ? StubReply.Refuse("not this one") : StubReply.AcceptPost("L1", "https://l1.example/c");
        fixture.L2.OnPost = _ => StubReply.AcceptPost("L2", "https://l2.example/c");

        var landed = new List<string?>();
        for (var i = 0; i < 40; i++)
        {
            var body = ValidBody(nationalId: NationalId(680_000 + i));
            landed.Add((string?)(await ReadAsync(await PostAsync(fixture.Client, body, DeliveryHost.SourceKey)))["routedTo"]?["lenderCode"]);
        }

        // A refused pick is taken back, so L1 is asked again until it has its half of what was accepted; had the pick
        // stood, L1 would hold about a quarter.
        Assert.All(landed, Assert.NotNull);
        var l1 = landed.Count(l => l == "L1");
        Assert.InRange(l1, 19, 21);
    }
}
