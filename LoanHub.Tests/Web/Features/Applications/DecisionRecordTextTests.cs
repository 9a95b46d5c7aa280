using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Localization;
using LoanHub.Web.Features.Applications;
using Microsoft.Extensions.Localization;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Web.Features.Applications;

public class DecisionRecordTextTests
{
    // The culture these tests run in has no resource of its own: the English keys.
    private static readonly IStringLocalizer<ApplicationsStrings> Words = Localizers.For<ApplicationsStrings>();

    [Fact]
    public void A_province_reason_names_the_province_and_money_reads_in_yuan()
    {
        var eligibility = Eligibility.Check(Applicant(provinceCode: "32", requestedAmount: 48_000m), 650, RiskTier.A,
            Product("gold", criteria: Criteria(maxAmount: 30_000m, provinces: ["11", "31"])), new ProductUsage(0, 0m), new DateOnly(2026, 11, 24));

        var lines = eligibility.Reasons.Select(r => DecisionRecordText.WhyNot(Words, r)).ToList();

        Assert.Equal(["Amount ¥48,000.00 is outside ¥500.00–¥30,000.00.", "Province Jiangsu is not served."], lines);
        Assert.Equal("Province 99 is not served.", DecisionRecordText.WhyNot(Words, new IneligibilityReason(Eligibility.Province, "Province 99 is not served.")));
    }

    [Fact]
    public void Weighted_allocation_shows_each_candidates_share_of_leads_and_the_winner_without_the_rotation_state()
    {
        var drawn = Allocators.Weighted.Allocate(
            [Candidate(Product("a", weight: 60), 90m), Candidate(Product("b", weight: 20)), Candidate(Product("c", weight: 0))], new WeightedRoundRobinState());

        var table = DecisionRecordText.Allocation(Words, drawn, RoutingStrategy.Weighted);

        Assert.Equal("Share of leads", table.ShareHeader);
        Assert.Equal(["75%", "25%", "–"], table.Lines.Select(l => l.Share));
        Assert.Equal([true, false, false], table.Lines.Select(l => l.IsWinner));
        Assert.Equal("weight 0: receives no leads", table.Lines[2].Note);
        Assert.EndsWith("This lead went to LENDER · a (LENDER bank, a loan).", table.Summary);
        Assert.DoesNotContain("current weights", table.Summary);
    }

    [Fact]
    public void Priority_allocation_shares_leads_only_within_the_first_level()
    {
        var drawn = Allocators.Priority.Allocate(
            [Candidate(Product("a", weight: 30, priority: 1)), Candidate(Product("b", weight: 10, priority: 1)), Candidate(Product("c", weight: 50, priority: 2))],
            new WeightedRoundRobinState());

        var table = DecisionRecordText.Allocation(Words, drawn, RoutingStrategy.Priority);

        Assert.Equal(["75%", "25%", "–"], table.Lines.Select(l => l.Share));
        Assert.Equal("below priority level 1", table.Lines[2].Note);
        Assert.StartsWith("Waterfall: priority 1 is the first level with an eligible product, and its 2 products share", table.Summary);
    }
}
