using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Tests.Core.Engine;

public class LearnedRatesPropertyTests
{
    private const double Tolerance = 1e-12;

    /// <summary>Successes, trials (successes ≤ trials), a prior in (0, 1) and a prior strength.</summary>
    private static Gen<(int Successes, int Trials, double Prior, double Strength)> Evidence =>
        from trials in Gen.Choose(0, 500)
        from successes in Gen.Choose(0, trials)
        from prior in Gen.Choose(1, 999).Select(p => p / 1000d)
        from strength in Gen.Choose(1, 200).Select(s => (double)s)
        select (successes, trials, prior, strength);

    [Property]
    public Property Shrunk_rate_lies_between_the_raw_rate_and_the_prior_and_inside_its_interval() =>
        Prop.ForAll(Evidence.ToArbitrary(), e =>
        {
            var estimate = RateEstimate.Shrink(e.Successes, e.Trials, e.Prior, e.Strength, minTrials: 30);
            var raw = e.Trials == 0 ? e.Prior : (double)e.Successes / e.Trials;
            return estimate.Value >= Math.Min(raw, e.Prior) - Tolerance && estimate.Value <= Math.Max(raw, e.Prior) + Tolerance
                && estimate.Lower <= estimate.Value && estimate.Value <= estimate.Upper && estimate.Lower >= 0d && estimate.Upper <= 1d;
        });

    [Property(MaxTest = 40)]
    public Property A_success_never_lowers_the_rate_and_a_failure_never_raises_it() =>
        Prop.ForAll(Evidence.ToArbitrary(), e =>
        {
            // Outcome by outcome along a stretch of 60, so no threshold in the evidence goes unvisited.
            double At(int successes, int trials) => RateEstimate.Shrink(successes, trials, e.Prior, e.Strength, 30).Value;
            return Enumerable.Range(0, 60).All(k =>
                At(e.Successes + k + 1, e.Trials + k + 1) >= At(e.Successes + k, e.Trials + k) - Tolerance
                && At(e.Successes, e.Trials + k + 1) <= At(e.Successes, e.Trials + k) + Tolerance);
        });

    [Property]
    public Property More_evidence_at_the_same_raw_rate_moves_the_estimate_toward_it() =>
        Prop.ForAll(Evidence.ToArbitrary(), Gen.Choose(2, 10).ToArbitrary(), (e, times) =>
        {
            var few = RateEstimate.Shrink(e.Successes, e.Trials, e.Prior, e.Strength, 30);
            var many = RateEstimate.Shrink(e.Successes * times, e.Trials * times, e.Prior, e.Strength, 30);
            var raw = e.Trials == 0 ? e.Prior : (double)e.Successes / e.Trials;
            return Math.Abs(many.Value - raw) <= Math.Abs(few.Value - raw) + Tolerance;
        });

    [Property(MaxTest = 50)]
    public Property Converges_to_the_true_rate_on_outcomes_drawn_from_it() =>
        Prop.ForAll(Gen.Choose(1, 99).ToArbitrary(), Gen.Choose(1, 99).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (truePercent, priorPercent, seed) =>
        {
            var truth = truePercent / 100d;
            var random = new Random(seed);
            const int outcomes = 20_000;
            var approvals = Enumerable.Range(0, outcomes).Count(_ => random.NextDouble() < truth);
            var estimate = RateEstimate.Shrink(approvals, outcomes, priorPercent / 100d, strength: 20, minTrials: 30);
            // Five standard errors of 20,000 draws are at most 1.8 points; the prior's pull at most 0.1.
            return Math.Abs(estimate.Value - truth) < 0.02 && estimate.Lower < truth + 0.01 && truth - 0.01 < estimate.Upper;
        });

    [Fact]
    public void Ten_outcomes_do_not_swing_a_product_to_zero_or_one_hundred_percent()
    {
        var product = ProductId.New();
        var rates = LearnedRates.From([Counts(product, RiskTier.A, decided: 10, approved: 10)], RatePriors.Default, DateTimeOffset.UnixEpoch);

        var approval = rates.For(product, RiskTier.A).Approval;

        // Ten of ten approved: the tier's pool (this product alone, against the 0.60 default worth 20) and the prior hold it at 0.82.
        Assert.InRange(approval.Value, 0.60, 0.85);
        Assert.True(approval.TooFew);
        Assert.InRange(LearnedRates.From([Counts(product, RiskTier.A, decided: 10, approved: 0)], RatePriors.Default, DateTimeOffset.UnixEpoch)
            .For(product, RiskTier.A).Approval.Value, 0.20, 0.60); // none of ten: 0.27
    }

    [Fact]
    public void A_product_is_shrunk_toward_its_tier_pooled_over_products_and_a_product_without_counts_gets_the_pool()
    {
        ProductId busy = ProductId.New(), quiet = ProductId.New(), unseen = ProductId.New();
        var rates = LearnedRates.From([Counts(busy, RiskTier.C, decided: 2_000, approved: 1_600), Counts(quiet, RiskTier.C, decided: 5, approved: 0)],
            RatePriors.Default, DateTimeOffset.UnixEpoch);

        var pooled = rates.ForTier(RiskTier.C).Approval.Value;

        Assert.InRange(pooled, 0.78, 0.80); // 1,600 of 2,005 against a 0.30 default worth 20
        Assert.Equal(pooled, rates.For(unseen, RiskTier.C).Approval.Value);
        Assert.InRange(rates.For(quiet, RiskTier.C).Approval.Value, 0.55, 0.65); // (0 + 20 × 0.79) / 25
        Assert.Equal(0.15, rates.For(busy, RiskTier.D).Approval.Value, 10); // tier D has nothing: its default
    }

    [Fact]
    public void Without_outcomes_every_rate_is_its_prior_and_expected_commission_is_the_old_forecast()
    {
        var rates = LearnedRates.None.For(ProductId.New(), RiskTier.B);

        Assert.Equal((0.45, 1.0, true), (rates.Approval.Value, rates.FundingRatio.Value, rates.TooFewToTrust));
        Assert.Equal(450m, rates.ExpectedCommission(CommissionContract.PerSale(0.02m), 50_000m));
    }

    [Fact]
    public void Median_hours_to_approval_come_from_the_delay_buckets_and_are_shrunk_like_a_rate()
    {
        var product = ProductId.New();
        // 40 approvals: 30 after 1 h 00–14 min, 10 after 10 h: the median is in the first bucket of hour 1.
        var counts = new OutcomeCounts { Decided = 40, Approved = 40, ApprovalDelays = [new DelayBucket(4, 30), new DelayBucket(40, 10)] };
        var rates = LearnedRates.From([new ProductTierCounts(product, RiskTier.A, counts)], RatePriors.Default, DateTimeOffset.UnixEpoch);

        Assert.Equal(1.125, counts.MedianHoursToApproval);
        var pooled = rates.ForTier(RiskTier.A).HoursToApproval.Value; // (40 × 1.125 + 20 × 24) / 60
        Assert.Equal((40 * 1.125 + 20 * pooled) / 60, rates.For(product, RiskTier.A).HoursToApproval.Value, 10);
    }

    private static ProductTierCounts Counts(ProductId product, RiskTier tier, int decided, int approved) =>
        new(product, tier, new OutcomeCounts { Offered = decided, Accepted = decided, Decided = decided, Approved = approved });
}
