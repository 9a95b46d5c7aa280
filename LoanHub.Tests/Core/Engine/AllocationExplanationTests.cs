using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class AllocationExplanationTests
{
    [Fact]
    public void A_waterfall_alone_at_its_level_says_so_and_notes_who_sat_out()
    {
        var result = Allocators.Priority.Allocate(
            [Candidate(Product("first", priority: 1, weight: 1), 5m), Candidate(Product("later", priority: 2, weight: 9)), Candidate(Product("off", priority: 0, weight: 0))],
            new WeightedRoundRobinState());
        Assert.Equal("Waterfall: LENDER/first is alone at the first priority level with an eligible product (1).", result.HowDrawn);
        Assert.Equal(5m, result.ExpectedCommission);
        Assert.Equal([("first", 1m, (string?)null), ("later", 2m, "below priority level 1"), ("off", 0m, "weight 0: receives no leads")],
            result.Candidates.Select(c => (c.ProductCode, c.Score, c.Note)));
        Assert.NotNull(result.Pick);
    }

    [Fact]
    public void A_waterfall_tie_names_the_tied_products_and_the_round_robin()
    {
        var result = Allocators.Priority.Allocate(
            [Candidate(Product("a", priority: 3, weight: 2)), Candidate(Product("b", priority: 3, weight: 1))], new WeightedRoundRobinState());
        Assert.Equal("Waterfall: 2 products tie at priority 3 (LENDER/a, LENDER/b); smooth weighted round-robin over total weight 3 picks LENDER/a.", result.HowDrawn);
        Assert.Equal(2, result.Pick!.Participants.Count);
    }

    [Fact]
    public void Expected_value_explains_the_winner_against_the_runner_up_or_alone()
    {
        var two = Allocators.ExpectedValue.Allocate(
            [Candidate(Product("a", weight: 100), 10m), Candidate(Product("b", weight: 50), 30m), Candidate(Product("z", weight: 0), 99m)], new WeightedRoundRobinState());
        Assert.Equal("Highest expected value: LENDER/b expects 30.00 × weight 50/100 = 15, ahead of LENDER/a at 10.", two.HowDrawn);
        Assert.Equal([("b", 15m, (string?)null), ("a", 10m, null), ("z", 0m, "weight 0: receives no leads")], two.Candidates.Select(c => (c.ProductCode, c.Score, c.Note)));
        Assert.Null(two.Pick);
        var one = Allocators.ExpectedValue.Allocate([Candidate(Product("a", weight: 100), 12.5m)], new WeightedRoundRobinState());
        Assert.Equal("Highest expected value: LENDER/a expects 12.50 × weight 100/100 = 12.5, the only candidate.", one.HowDrawn);
        Assert.Equal(12.5m, ExpectedValueAllocator.RankOf(Candidate(Product("a", weight: 100), 12.5m)));
    }

    [Fact]
    public void Expected_value_leaves_the_round_robin_alone()
    {
        var a = Product("a", weight: 100);
        var state = new WeightedRoundRobinState();
        Allocators.ExpectedValue.Allocate([Candidate(a, 10m)], state);
        Assert.Equal(0, state.CurrentWeightOf(a.ProductId));
    }

    [Fact]
    public void An_auction_ranks_by_price_then_weight_then_canonical_order_and_leaves_out_weight_zero()
    {
        var cheap = Product("cheap", weight: 100);
        var heavy = Product("heavy", weight: 200);
        var light = Product("light", weight: 100);
        var alsoLight = Product("light2", weight: 100);
        var off = Product("off", weight: 0);
        var ranked = AuctionAllocator.Rank([new(alsoLight, 20m), new(cheap, 5m), new(light, 20m), new(off, 99m), new(heavy, 20m)]);
        Assert.Equal(["heavy", "light", "light2", "cheap"], ranked.Select(b => b.Product.ProductCode));
        Assert.Equal([20m, 20m, 20m, 5m], ranked.Select(b => b.Price));
    }

    [Fact]
    public void An_auction_before_bids_leads_with_the_highest_expected_commission()
    {
        var result = Allocators.Auction.Allocate(
            [Candidate(Product("a", weight: 100), 10m), Candidate(Product("b", weight: 100), 30m), Candidate(Product("z", weight: 0), 50m)], new WeightedRoundRobinState());
        Assert.Equal("b", result.Winner!.ProductCode);
        Assert.Equal(30m, result.ExpectedCommission);
        Assert.Equal("Auction: every eligible lender is asked for a price; before bids, LENDER/b leads at 30.00, ahead of LENDER/a at 10.00.", result.HowDrawn);
        Assert.Equal([("a", 10m, (string?)null), ("b", 30m, null), ("z", 0m, "weight 0: receives no leads")], result.Candidates.Select(c => (c.ProductCode, c.Score, c.Note)));
        var alone = Allocators.Auction.Allocate([Candidate(Product("a", weight: 1), 10m)], new WeightedRoundRobinState());
        Assert.EndsWith("LENDER/a leads at 10.00, the only bidder.", alone.HowDrawn);
        Assert.Null(alone.Pick);
    }

    [Theory]
    [InlineData(RoutingStrategy.Weighted)]
    [InlineData(RoutingStrategy.Priority)]
    [InlineData(RoutingStrategy.ExpectedValue)]
    [InlineData(RoutingStrategy.Auction)]
    public void Without_a_positive_weight_no_strategy_draws_a_winner_and_every_candidate_is_noted(RoutingStrategy strategy)
    {
        var allocator = Allocators.For(strategy);
        Assert.Equal(strategy, allocator.Strategy);
        var result = allocator.Allocate([Candidate(Product("a", weight: 0)), Candidate(Product("b", weight: 0))], new WeightedRoundRobinState());
        Assert.Null(result.Winner);
        Assert.Equal("None of the 2 eligible products has a positive weight.", result.HowDrawn);
        Assert.All(result.Candidates, c => Assert.Equal(("weight 0: receives no leads", 0m), (c.Note!, c.Score)));
        Assert.Equal("No eligible product.", allocator.Allocate([], new WeightedRoundRobinState()).HowDrawn);
    }

    [Fact]
    public void An_unknown_strategy_has_no_allocator() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocators.For((RoutingStrategy)42));

    [Fact]
    public void Canonical_order_breaks_ties_by_lender_then_product_code()
    {
        var result = Allocators.Weighted.Allocate(
            [Candidate(Product("a", lender: "ZED")), Candidate(Product("b", lender: "ALPHA")), Candidate(Product("a", lender: "ALPHA"))], new WeightedRoundRobinState());
        Assert.Equal(["ALPHA/a", "ALPHA/b", "ZED/a"], result.Candidates.Select(c => $"{c.LenderCode}/{c.ProductCode}"));
        Assert.Equal("ALPHA/a", result.Winner!.Label);
    }

    [Fact]
    public void A_weighted_draw_notes_the_products_that_sat_out_at_weight_zero()
    {
        var result = Allocators.Weighted.Allocate([Candidate(Product("a", weight: 2), 1m), Candidate(Product("z", weight: 0), 1m)], new WeightedRoundRobinState());
        Assert.Equal([("a", 2m, (string?)null), ("z", 0m, "weight 0: receives no leads")], result.Candidates.Select(c => (c.ProductCode, c.Score, c.Note)));
        var scored = result.Candidates[0];
        Assert.Equal((2, 1, 1m), (scored.Weight, scored.Priority, scored.ExpectedCommission));
    }
}

public class EligibilityDetailTests
{
    [Fact]
    public void Every_reason_says_what_missed_and_by_how_much()
    {
        var criteria = Criteria(minAmount: 60_000m, maxAmount: 70_000m, minTerm: 24, maxTerm: 36, minAge: 40, maxAge: 50, minScore: 700,
            minIncome: 9_000m, provinces: ["11"], employment: [Employment.Retired], maxTier: RiskTier.A, purposes: [LoanPurpose.Education, LoanPurpose.Medical]);
        var product = Product("p", criteria: criteria, dailyCap: 2, monthlyBudget: 100m, productActive: false, lenderActive: false);
        var result = Eligibility.Check(Applicant(), 625, RiskTier.B, product, new ProductUsage(2, 90m), Today);
        Assert.Equal(
        [
            "PAUSED: The lender is paused.",
            "PAUSED: The product is paused.",
            "AMOUNT_OUT_OF_RANGE: Amount 50,000.00 is outside 60,000.00–70,000.00.",
            "TERM_OUT_OF_RANGE: Term 12 months is outside 24–36.",
            "AGE: Age 30 is outside 40–50.",
            "SCORE: Score 625 is below the minimum 700.",
            "INCOME: Monthly income 8,000.00 is below the minimum 9,000.00.",
            "PROVINCE: Province 31 is not served.",
            "EMPLOYMENT: Employment Salaried is not accepted.",
            "PURPOSE: Purpose Consumption is not lent for (only Education, Medical).",
            "TIER: Tier B is worse than the maximum A.",
            "DAILY_CAP: Daily cap of 2 leads reached.",
            "MONTHLY_BUDGET: Monthly budget 100.00 cannot take 20.00 more (committed 90.00).",
        ], result.Reasons.Select(r => $"{r.Code}: {r.Detail}"));
        Assert.False(result.IsEligible);
    }

    [Fact]
    public void Details_are_written_the_same_whatever_the_culture_of_the_thread()
    {
        var product = Product("p", criteria: Criteria(minAmount: 60_000m, maxAmount: 70_000m, minIncome: 9_000.5m));
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var details = Eligibility.Check(Applicant(), 625, RiskTier.B, product, ProductUsage.None, Today).Reasons.Select(r => r.Detail);
            Assert.Equal(["Amount 50,000.00 is outside 60,000.00–70,000.00.", "Monthly income 8,000.00 is below the minimum 9,000.50."], details);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Values_above_the_ranges_are_outside_them_too()
    {
        var criteria = Criteria(maxAmount: 40_000m, maxTerm: 6, maxAge: 25);
        var codes = Eligibility.Check(Applicant(), 625, RiskTier.B, Product("p", criteria: criteria), ProductUsage.None, Today).Reasons.Select(r => r.Code);
        Assert.Equal([Eligibility.AmountOutOfRange, Eligibility.TermOutOfRange, Eligibility.Age], codes);
    }

    [Fact]
    public void A_budget_filled_exactly_by_the_lead_still_takes_it()
    {
        var product = Product("p", monthlyBudget: 100m);
        Assert.True(Eligibility.Check(Applicant(), 625, RiskTier.B, product, new ProductUsage(0, 80m), Today).IsEligible);
        Assert.False(Eligibility.Check(Applicant(), 625, RiskTier.B, product, new ProductUsage(0, 80.01m), Today).IsEligible);
    }

    [Fact]
    public void Expected_commission_uses_the_learned_rates_of_the_product_and_tier()
    {
        var product = Product("p", commission: CommissionContract.PerApproval(100m));
        var rates = LearnedRates.From([new ProductTierCounts(product.ProductId, RiskTier.B, new OutcomeCounts { Decided = 10, Approved = 10 })],
            new RatePriors(Strength: 0), DateTimeOffset.UnixEpoch);
        Assert.Equal(100m, Eligibility.Check(Applicant(), 625, RiskTier.B, product, ProductUsage.None, Today, rates).ExpectedCommission);
        Assert.Equal(45m, Eligibility.Check(Applicant(), 625, RiskTier.B, product, ProductUsage.None, Today).ExpectedCommission);
    }
}
