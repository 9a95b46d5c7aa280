using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Tests.Core.Engine;

public class OutcomeCountsTests
{
    [Fact]
    public void Funded_shares_count_each_funded_lead_as_its_share_of_the_amount_asked_for_at_most_one()
    {
        Assert.Equal(0d, new OutcomeCounts { Funded = 3, FundedAmount = 100m, RequestedOfFunded = 0m }.FundedShares);
        Assert.Equal(3d, new OutcomeCounts { Funded = 4, FundedAmount = 300m, RequestedOfFunded = 400m }.FundedShares);
        Assert.Equal(4d, new OutcomeCounts { Funded = 4, FundedAmount = 500m, RequestedOfFunded = 400m }.FundedShares);
    }

    [Fact]
    public void The_median_delay_is_the_middle_of_the_bucket_holding_the_middle_approval()
    {
        Assert.Null(OutcomeCounts.None.MedianHoursToApproval);
        Assert.Equal(0, OutcomeCounts.None.ApprovalsTimed);
        // Buckets given out of order: 2 in bucket 8 (2 h 00–14), 1 in bucket 0, 2 in bucket 4. Five approvals: the third is in bucket 4.
        var five = new OutcomeCounts { ApprovalDelays = [new DelayBucket(8, 2), new DelayBucket(0, 1), new DelayBucket(4, 2)] };
        Assert.Equal(5, five.ApprovalsTimed);
        Assert.Equal(4.5 * 15 / 60, five.MedianHoursToApproval);
        // Four approvals: the second (of (4 + 1) / 2 = 2) is in bucket 0.
        var four = new OutcomeCounts { ApprovalDelays = [new DelayBucket(0, 2), new DelayBucket(4, 2)] };
        Assert.Equal(0.5 * 15 / 60, four.MedianHoursToApproval);
        var one = new OutcomeCounts { ApprovalDelays = [new DelayBucket(2, 1)] };
        Assert.Equal(2.5 * 15 / 60, one.MedianHoursToApproval);
    }

    [Fact]
    public void Counts_sum_field_by_field_and_delays_by_bucket()
    {
        var a = new OutcomeCounts
        {
            Offered = 1, Accepted = 2, PrechecksAnswered = 3, PrechecksAccepted = 4, PostsAnswered = 5, PostsAccepted = 6,
            Decided = 7, Approved = 8, Funded = 9, FundedAmount = 10m, RequestedOfFunded = 11m,
            ApprovalDelays = [new DelayBucket(3, 1), new DelayBucket(1, 2)],
        };
        var b = a with { Offered = 100, ApprovalDelays = [new DelayBucket(1, 5)] };
        var sum = OutcomeCounts.Sum([a, b]);
        Assert.Equal((101, 4, 6, 8, 10, 12, 14, 16, 18, 20m, 22m),
            (sum.Offered, sum.Accepted, sum.PrechecksAnswered, sum.PrechecksAccepted, sum.PostsAnswered, sum.PostsAccepted,
             sum.Decided, sum.Approved, sum.Funded, sum.FundedAmount, sum.RequestedOfFunded));
        Assert.Equal([new DelayBucket(1, 7), new DelayBucket(3, 1)], sum.ApprovalDelays);
        Assert.Equal(101, OutcomeCounts.Sum(new[] { a, b }.Where(_ => true)).Offered);
    }
}

public class LearnedRatesRulesTests
{
    // A prior worth nothing: every rate is what the counts alone say.
    private static readonly RatePriors Raw = new(Strength: 0, MinOutcomes: 10);

    [Theory]
    [InlineData(RiskTier.A, 0.60)]
    [InlineData(RiskTier.B, 0.45)]
    [InlineData(RiskTier.C, 0.30)]
    [InlineData(RiskTier.D, 0.15)]
    [InlineData(RiskTier.E, 0.05)]
    public void Each_tier_has_its_own_prior_approval(RiskTier tier, double approval)
    {
        Assert.Equal(approval, RatePriors.Default.Approval(tier));
        Assert.Equal(approval, LearnedRates.None.ForTier(tier).Approval.Value, 12);
    }

    [Fact]
    public void The_default_priors_are_the_forecast_before_learning()
    {
        var p = RatePriors.Default;
        Assert.Equal((20d, 30, 0.70, 0.85, 0.85, 1.0, 24d), (p.Strength, p.MinOutcomes, p.Acceptance, p.PrecheckAcceptance, p.PostAcceptance, p.FundingRatio, p.HoursToApproval));
        var none = LearnedRates.None.ForTier(RiskTier.C);
        Assert.Equal((0.70, 0.85, 0.85, 1.0, 24d),
            (none.Acceptance.Value, none.PrecheckAcceptance.Value, none.PostAcceptance.Value, none.FundingRatio.Value, none.HoursToApproval.Value));
        Assert.Null(none.ProductId);
        Assert.Equal(RiskTier.C, none.Tier);
    }

    [Fact]
    public void Every_rate_is_the_ratio_of_its_own_two_counts()
    {
        var product = ProductId.New();
        var counts = new OutcomeCounts
        {
            Offered = 10, Accepted = 5, PrechecksAnswered = 8, PrechecksAccepted = 2, PostsAnswered = 4, PostsAccepted = 3,
            Decided = 20, Approved = 4, Funded = 2, FundedAmount = 150m, RequestedOfFunded = 200m,
            ApprovalDelays = [new DelayBucket(8, 3)],
        };
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var rates = LearnedRates.From([new ProductTierCounts(product, RiskTier.B, counts)], Raw, at);
        var r = rates.For(product, RiskTier.B);
        Assert.Equal((0.5, 0.25, 0.75, 0.2, 0.75, 2.125), (r.Acceptance.Value, r.PrecheckAcceptance.Value, r.PostAcceptance.Value, r.Approval.Value, r.FundingRatio.Value, r.HoursToApproval.Value));
        Assert.Equal((product, RiskTier.B), (r.ProductId!.Value, r.Tier));
        Assert.Equal((20, 4, 3), (r.Counts.Decided, r.Counts.Approved, r.Counts.ApprovalsTimed));
        Assert.False(r.TooFewToTrust);
        Assert.Equal((at, Raw), (rates.AsOf, rates.Priors));
    }

    [Fact]
    public void Counts_of_one_product_and_tier_given_twice_are_added_up()
    {
        var product = ProductId.New();
        var half = new OutcomeCounts { Decided = 5, Approved = 1 };
        var rates = LearnedRates.From([new ProductTierCounts(product, RiskTier.A, half), new ProductTierCounts(product, RiskTier.A, half with { Approved = 4 })], Raw, DateTimeOffset.UnixEpoch);
        Assert.Equal(0.5, rates.For(product, RiskTier.A).Approval.Value, 12);
        Assert.Equal(10, rates.For(product, RiskTier.A).Counts.Decided);
        Assert.Single(rates.Products);
    }

    [Fact]
    public void Products_are_listed_by_id_then_tier()
    {
        var first = new ProductId(Guid.Parse("00000000-0000-0000-0000-000000000001"));
        var second = new ProductId(Guid.Parse("00000000-0000-0000-0000-000000000002"));
        var c = new OutcomeCounts { Decided = 1 };
        var rates = LearnedRates.From(
            [new(second, RiskTier.A, c), new(first, RiskTier.C, c), new(first, RiskTier.A, c)], Raw, DateTimeOffset.UnixEpoch);
        Assert.Equal([(first, RiskTier.A), (first, RiskTier.C), (second, RiskTier.A)], rates.Products.Select(p => (p.ProductId!.Value, p.Tier)));
    }

    [Fact]
    public void A_tier_pools_only_its_own_products()
    {
        var product = ProductId.New();
        var rates = LearnedRates.From([new ProductTierCounts(product, RiskTier.A, new OutcomeCounts { Decided = 10, Approved = 10 })], Raw, DateTimeOffset.UnixEpoch);
        Assert.Equal(1.0, rates.ForTier(RiskTier.A).Approval.Value);
        Assert.Equal(RatePriors.Default.ApprovalB, rates.ForTier(RiskTier.B).Approval.Value);
        Assert.Same(rates.ForTier(RiskTier.B), rates.For(product, RiskTier.B));
    }

    [Fact]
    public void Expected_commission_follows_the_contract_and_the_learned_rates()
    {
        var product = ProductId.New();
        var counts = new OutcomeCounts { Decided = 4, Approved = 1, Funded = 2, FundedAmount = 100m, RequestedOfFunded = 200m };
        var r = LearnedRates.From([new ProductTierCounts(product, RiskTier.C, counts)], Raw, DateTimeOffset.UnixEpoch).For(product, RiskTier.C);
        Assert.Equal(30m, r.ExpectedCommission(CommissionContract.PerLead(30m), 10_000m));
        Assert.Equal(7.5m, r.ExpectedCommission(CommissionContract.PerApproval(30m), 10_000m));
        Assert.Equal(12m, r.ExpectedCommission(CommissionContract.PerBid(12m), 10_000m));
        // approval 0.25 × 2 % × 10,000 × funding ratio 0.5
        Assert.Equal(25m, r.ExpectedCommission(CommissionContract.PerSale(0.02m), 10_000m));
        Assert.Equal(0.01m, r.ExpectedCommission(CommissionContract.PerApproval(0.03m), 1m));
    }
}

public class RateEstimateRulesTests
{
    [Fact]
    public void Without_trials_the_raw_rate_is_unknown_and_the_value_is_the_prior()
    {
        var estimate = RateEstimate.Shrink(0, 0, 0.3, 20, 30);
        Assert.Null(estimate.Raw);
        Assert.Equal(0.3, estimate.Value, 12);
        Assert.True(estimate.TooFew);
        Assert.Equal((0d, 0, 0.3, 20d), (estimate.Successes, estimate.Trials, estimate.Prior, estimate.PriorStrength));
    }

    [Fact]
    public void A_prior_worth_nothing_and_no_trials_gives_the_prior_and_the_whole_interval()
    {
        var estimate = RateEstimate.Shrink(0, 0, 0.4, 0, 30);
        Assert.Equal((0.4, 0d, 1d), (estimate.Value, estimate.Lower, estimate.Upper));
    }

    [Fact]
    public void The_raw_rate_is_successes_over_trials_and_trials_at_the_minimum_are_enough()
    {
        var estimate = RateEstimate.Shrink(3, 30, 0.5, 0, 30);
        Assert.Equal(0.1, estimate.Raw!.Value, 12);
        Assert.Equal(0.1, estimate.Value, 12);
        Assert.False(estimate.TooFew);
        Assert.True(RateEstimate.Shrink(3, 29, 0.5, 0, 30).TooFew);
    }

    [Fact]
    public void Ten_outcomes_against_a_prior_worth_twenty_move_a_third_of_the_way()
    {
        // (10 + 20 × 0.4) / 30 = 0.6
        Assert.Equal(0.6, RateEstimate.Shrink(10, 10, 0.4, 20, 30).Value, 12);
    }

    [Fact]
    public void The_interval_is_the_5_and_95_percent_quantiles()
    {
        // Beta(50, 50): mean 0.5, standard deviation 0.0498; 1.645 of them either side.
        var estimate = RateEstimate.Shrink(50, 100, 0.5, 0, 30);
        Assert.Equal(0.9, RateEstimate.Credibility);
        Assert.InRange(estimate.Lower, 0.415, 0.421);
        Assert.InRange(estimate.Upper, 0.579, 0.585);
    }

    [Fact]
    public void A_prior_outside_0_to_1_and_too_many_successes_are_clamped()
    {
        var high = RateEstimate.Shrink(0, 0, 1.5, 20, 30);
        Assert.Equal((1d, 1d), (high.Prior, high.Value));
        Assert.InRange(high.Lower, 0.99, 1d);
        Assert.Equal(1d, high.Upper);
        var low = RateEstimate.Shrink(0, 0, -0.5, 20, 30);
        Assert.Equal((0d, 0d, 0d), (low.Prior, low.Value, low.Lower));
        Assert.InRange(low.Upper, 0d, 0.01);
        var over = RateEstimate.Shrink(15, 10, 0.5, 0, 30);
        Assert.Equal((10d, 1d), (over.Successes, over.Value));
        Assert.Equal(0d, RateEstimate.Shrink(-3, 10, 0.5, 0, 30).Successes);
    }

    [Fact]
    public void Negative_trials_or_strength_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RateEstimate.Shrink(0, -1, 0.5, 20, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => RateEstimate.Shrink(0, 0, 0.5, -1, 30));
    }

    [Fact]
    public void Hours_are_shrunk_toward_the_prior_by_the_number_of_timed_approvals()
    {
        var hours = HoursEstimate.Shrink(2, 10, 24, 20, 30);
        Assert.Equal((10 * 2 + 20 * 24) / 30d, hours.Value, 12);
        Assert.Equal((2d, 10, 24d, true), (hours.RawMedian!.Value, hours.Count, hours.Prior, hours.TooFew));
        Assert.False(HoursEstimate.Shrink(2, 30, 24, 20, 30).TooFew);
        Assert.Equal(24d, HoursEstimate.Shrink(null, 0, 24, 20, 30).Value);
        Assert.Equal(24d, HoursEstimate.Shrink(5, 0, 24, 0, 30).Value);
        Assert.Equal(5d, HoursEstimate.Shrink(5, 3, 24, 0, 30).Value);
    }
}

public class RoundRobinChargeTests
{
    private static readonly ProductSnapshot A = EngineFixtures.Product("a", weight: 5);
    private static readonly ProductSnapshot B = EngineFixtures.Product("b", weight: 1);
    private static readonly ProductSnapshot C = EngineFixtures.Product("c", weight: 1);

    private static (long, long, long) Weights(WeightedRoundRobinState state) =>
        (state.CurrentWeightOf(A.ProductId), state.CurrentWeightOf(B.ProductId), state.CurrentWeightOf(C.ProductId));

    [Fact]
    public void A_lead_that_fell_through_is_charged_as_a_pick_among_everyone_who_competed()
    {
        var state = new WeightedRoundRobinState();
        var first = Allocators.Weighted.Allocate([new(A, 1m), new(B, 1m), new(C, 1m)], state);
        Assert.Equal("a", first.Winner!.ProductCode);
        state.Undo(first.Pick!); // a's lender refused
        Assert.Equal((0L, 0L, 0L), Weights(state));
        var fallThrough = Allocators.Weighted.Allocate([new(B, 1m), new(C, 1m)], state);
        Assert.Equal("b", fallThrough.Winner!.ProductCode);

        var charge = state.Charge(fallThrough.Pick!, [(A.ProductId, 5), (B.ProductId, 1), (C.ProductId, 1)]);

        Assert.Equal((5L, -6L, 1L), Weights(state));
        Assert.Equal(B.ProductId, charge.Winner);
        Assert.Equal(3, charge.Participants.Count);
        state.Undo(charge);
        Assert.Equal((0L, 0L, 0L), Weights(state));
    }

    [Fact]
    public void A_winner_missing_from_the_competitors_is_charged_with_its_own_weight()
    {
        var state = new WeightedRoundRobinState();
        var fallThrough = Allocators.Weighted.Allocate([new(B, 1m), new(C, 1m)], state);
        var charge = state.Charge(fallThrough.Pick!, [(A.ProductId, 5), (C.ProductId, 1)]);
        Assert.Equal((5L, -6L, 1L), Weights(state));
        Assert.Equal([(A.ProductId, 5), (C.ProductId, 1), (B.ProductId, 1)], charge.Participants);
    }

    [Fact]
    public void A_pick_with_its_changes_recorded_rolls_back_exactly()
    {
        var state = new WeightedRoundRobinState();
        Allocators.Weighted.Allocate([new(A, 1m), new(B, 1m)], state);
        var before = Weights(state);
        var undo = new UndoLog();
        state.RecordChangesIn(undo);
        undo.Open();
        Allocators.Weighted.Allocate([new(A, 1m), new(B, 1m), new(C, 1m)], state);
        Assert.NotEqual(before, Weights(state));
        undo.RollBack();
        Assert.Equal(before, Weights(state));
    }

    [Fact]
    public void A_clone_starts_where_the_state_stood()
    {
        var state = new WeightedRoundRobinState();
        Allocators.Weighted.Allocate([new(A, 1m), new(B, 1m)], state);
        var clone = state.Clone();
        Assert.Equal(Weights(state), Weights(clone));
        Allocators.Weighted.Allocate([new(A, 1m), new(B, 1m)], clone);
        Assert.NotEqual(Weights(state), Weights(clone));
    }
}
