using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

public class RiskBacktestTests
{
    private static readonly DateTimeOffset WindowStart = Now.AddDays(-30);
    private static readonly SourceId Ads = new(Guid.Parse("00000000-0000-0000-0000-0000000000a1"));
    private static readonly SourceId Partner = new(Guid.Parse("00000000-0000-0000-0000-0000000000b2"));
    private static readonly RiskPolicy Active = RiskPolicy.Default; // reject below 480, review below 540, device 3, look-back 30 days

    /// <summary>A stored applicant with nothing shared with anyone unless a test says so, decided as <paramref name="decision"/>.</summary>
    private static BacktestApplicant Stored(int score, Decision decision, DateTimeOffset? at = null, RiskTier tier = RiskTier.B, string? identity = null,
        string? device = null, string[]? signals = null, decimal amount = 10_000m, decimal income = 5_000m, SourceId? source = null)
    {
        var id = identity ?? $"id-{Guid.NewGuid():N}";
        var received = at ?? Now.AddDays(-1);
        return new BacktestApplicant(ApplicationId.New(), source ?? Ads, received, id, $"phone-of-{id}", device ?? $"device-of-{id}", $"ip-of-{id}",
            income, amount, score, tier, decision, signals ?? [], decision == Decision.Route, received);
    }

    private static RiskPolicy With(Func<DecisionPolicy, DecisionPolicy>? decision = null, Func<FraudPolicy, FraudPolicy>? fraud = null) =>
        new(decision?.Invoke(Active.Decision) ?? Active.Decision, fraud?.Invoke(Active.Fraud) ?? Active.Fraud);

    private static RiskBacktestResult Run(RiskPolicy proposal, params BacktestApplicant[] applicants) =>
        new RiskBacktest(proposal, Active, LearnedRates.None).Run(applicants.OrderBy(a => a.ReceivedAt), WindowStart);

    [Fact]
    public void Backtest_of_the_active_thresholds_moves_nobody()
    {
        var result = Run(Active, Stored(470, Decision.Reject), Stored(500, Decision.Review), Stored(560, Decision.Route), Stored(600, Decision.Route));

        Assert.Equal(4, result.Moves.Total);
        Assert.Equal(0, result.Moves.Moved);
        Assert.False(result.ReplayedHistory);
    }

    [Fact]
    public void Raising_review_below_moves_the_applicants_under_it_from_routed_to_review_and_no_others()
    {
        var result = Run(With(d => d with { ReviewBelowScore = 580 }),
            Stored(470, Decision.Reject), Stored(500, Decision.Review), Stored(560, Decision.Route), Stored(600, Decision.Route));

        Assert.Equal(1, result.Moves[Decision.Route, Decision.Review]);
        Assert.Equal(1, result.Moves[Decision.Route, Decision.Route]);
        Assert.Equal(1, result.Moves[Decision.Review, Decision.Review]);
        Assert.Equal(1, result.Moves[Decision.Reject, Decision.Reject]);
        Assert.Equal(1, result.Moves.Moved);
        Assert.Equal(1, result.NoLongerRouted);
        Assert.Equal(0, result.NewlyRouted);
    }

    [Fact]
    public void Newly_routed_applicants_get_the_approval_rate_the_learned_rates_give_their_tier()
    {
        var result = Run(With(d => d with { ReviewBelowScore = 500 }),
            Stored(520, Decision.Review, tier: RiskTier.B), Stored(530, Decision.Review, tier: RiskTier.C), Stored(490, Decision.Review, tier: RiskTier.C));

        Assert.Equal(2, result.Moves[Decision.Review, Decision.Route]);
        Assert.Equal(2, result.NewlyRouted);
        var expected = (LearnedRates.None.ForTier(RiskTier.B).Approval.Value + LearnedRates.None.ForTier(RiskTier.C).Approval.Value) / 2;
        Assert.Equal(expected, result.NewlyRoutedApprovalRate!.Value, 9);
    }

    [Fact]
    public void A_tier_rejected_by_the_proposal_moves_to_rejected_whatever_its_score()
    {
        var result = Run(With(d => d with { RejectFromTier = RiskTier.D }), Stored(700, Decision.Route, tier: RiskTier.D), Stored(700, Decision.Route, tier: RiskTier.C));

        Assert.Equal(1, result.Moves[Decision.Route, Decision.Reject]);
        Assert.Equal(1, result.ByTier[RiskTier.D].Moved);
        Assert.Equal(0, result.ByTier[RiskTier.C].Moved);
    }

    [Fact]
    public void Moves_are_counted_by_source_and_by_tier()
    {
        var result = Run(With(d => d with { ReviewBelowScore = 580 }),
            Stored(560, Decision.Route, source: Ads, tier: RiskTier.C), Stored(560, Decision.Route, source: Partner, tier: RiskTier.C),
            Stored(600, Decision.Route, source: Partner, tier: RiskTier.B));

        Assert.Equal(1, result.BySource[Ads][Decision.Route, Decision.Review]);
        Assert.Equal(1, result.BySource[Partner][Decision.Route, Decision.Review]);
        Assert.Equal(2, result.BySource[Partner].Total);
        Assert.Equal(2, result.ByTier[RiskTier.C].Moved);
        Assert.Equal(0, result.ByTier[RiskTier.B].Moved);
    }

    [Fact]
    public void Applicants_before_the_window_are_history_only_and_not_counted()
    {
        var result = Run(With(d => d with { ReviewBelowScore = 580 }), Stored(560, Decision.Route, at: WindowStart.AddDays(-1)), Stored(560, Decision.Route));

        Assert.Equal(1, result.Moves.Total);
    }

    [Fact]
    public void A_lower_shared_device_threshold_is_replayed_from_the_keyed_hashes_in_arrival_order()
    {
        // Three national IDs on one device: under the active threshold (3) only the third was held.
        var result = Run(With(fraud: f => f with { DeviceSharedMinIdentities = 2 }),
            Stored(600, Decision.Route, at: Now.AddDays(-3), device: "shared"),
            Stored(600, Decision.Route, at: Now.AddDays(-2), device: "shared"),
            Stored(600, Decision.Review, at: Now.AddDays(-1), device: "shared", signals: [FraudSignal.DeviceShared, FraudSignal.Ring]));

        Assert.True(result.ReplayedHistory);
        Assert.Equal(1, result.Moves[Decision.Route, Decision.Route]); // the first is alone on the device when it arrives
        Assert.Equal(1, result.Moves[Decision.Route, Decision.Review]);
        Assert.Equal(1, result.Moves[Decision.Review, Decision.Review]);
    }

    [Fact]
    public void Higher_shared_device_and_ring_thresholds_release_those_the_stored_signals_held()
    {
        // The device links the three into a ring of three IDs too: both signals held the third.
        var result = Run(With(fraud: f => f with { DeviceSharedMinIdentities = 4, RingMinIdentities = 4 }),
            Stored(600, Decision.Route, at: Now.AddDays(-3), device: "shared"),
            Stored(600, Decision.Route, at: Now.AddDays(-2), device: "shared"),
            Stored(600, Decision.Review, at: Now.AddDays(-1), device: "shared", signals: [FraudSignal.DeviceShared, FraudSignal.Ring]));

        Assert.Equal(1, result.Moves[Decision.Review, Decision.Route]);
        Assert.Equal(1, result.NewlyRouted);
    }

    [Fact]
    public void Device_links_from_the_history_before_the_window_count_in_the_replay()
    {
        var result = Run(With(fraud: f => f with { DeviceSharedMinIdentities = 2 }),
            Stored(600, Decision.Route, at: WindowStart.AddHours(-1), device: "shared"),
            Stored(600, Decision.Route, at: WindowStart.AddHours(1), device: "shared"));

        Assert.Equal(1, result.Moves.Total);
        Assert.Equal(1, result.Moves[Decision.Route, Decision.Review]);
    }

    [Fact]
    public void A_longer_duplicate_look_back_finds_applicants_routed_before_it_as_duplicates()
    {
        var proposal = With(fraud: f => f with { DuplicateLookback = TimeSpan.FromDays(60) });
        var result = Run(proposal, Stored(600, Decision.Route, at: Now.AddDays(-45), identity: "same"), Stored(600, Decision.Route, at: Now.AddDays(-1), identity: "same"));

        Assert.Equal(1, result.Moves[Decision.Route, Decision.Duplicate]);
    }

    [Fact]
    public void A_shorter_duplicate_look_back_routes_what_was_a_duplicate()
    {
        var proposal = With(fraud: f => f with { DuplicateLookback = TimeSpan.FromDays(7) });
        var result = Run(proposal, Stored(600, Decision.Route, at: Now.AddDays(-20), identity: "same"),
            Stored(600, Decision.Duplicate, at: Now.AddDays(-1), identity: "same", signals: [FraudSignal.Duplicate]));

        Assert.Equal(1, result.Moves[Decision.Duplicate, Decision.Route]);
    }

    [Fact]
    public void Amount_to_income_is_worked_out_again_from_the_stored_amount_and_income()
    {
        // 100,000 asked on 3,000 a month: 33 months of income, over the active 30, under a proposed 40.
        var result = Run(With(fraud: f => f with { MaxAmountToMonthlyIncome = 40m }),
            Stored(600, Decision.Review, amount: 100_000m, income: 3_000m, signals: [FraudSignal.AmountToIncome]),
            Stored(600, Decision.Route, amount: 150_000m, income: 3_000m));

        Assert.False(result.ReplayedHistory);
        Assert.Equal(1, result.Moves[Decision.Review, Decision.Route]);
        Assert.Equal(1, result.Moves[Decision.Route, Decision.Review]);
    }

    [Fact]
    public void A_blocklist_match_goes_to_review_when_the_proposal_says_so()
    {
        var result = Run(With(fraud: f => f with { BlocklistedToReview = true }), Stored(600, Decision.Reject, signals: [FraudSignal.Blocklisted]),
            Stored(600, Decision.Reject, signals: [FraudSignal.Underage]));

        Assert.Equal(1, result.Moves[Decision.Reject, Decision.Review]);
        Assert.Equal(1, result.Moves[Decision.Reject, Decision.Reject]);
    }

    [Fact]
    public void A_fraud_index_takes_new_thresholds_in_place_but_not_a_window_longer_than_it_kept()
    {
        var index = new FraudIndex(FraudPolicy.Default);

        Assert.True(index.TryUse(FraudPolicy.Default with { DeviceSharedMinIdentities = 2, DuplicateLookback = TimeSpan.FromDays(10) }));
        Assert.Equal(2, index.Policy.DeviceSharedMinIdentities);
        // Entries older than 10 days may be gone: 30 days cannot be answered from this index any more.
        Assert.False(index.TryUse(FraudPolicy.Default));
        Assert.Equal(TimeSpan.FromDays(10), index.Policy.DuplicateLookback);
    }

    [Fact]
    public void Proposals_with_equal_thresholds_have_equal_fingerprints_and_others_do_not()
    {
        var proposal = With(d => d with { ReviewBelowScore = 560 });

        Assert.Equal(proposal.Fingerprint, RiskPolicy.FromJson(proposal.ToJson()).Fingerprint);
        Assert.NotEqual(proposal.Fingerprint, Active.Fingerprint);
        Assert.Equal(proposal, RiskPolicy.FromJson(proposal.ToJson()));
    }

    [Fact]
    public void Review_below_must_be_above_reject_below()
    {
        var problems = With(d => d with { RejectBelowScore = 560, ReviewBelowScore = 540 }).Problems();

        Assert.Contains(nameof(DecisionPolicy.ReviewBelowScore), problems.Keys);
        Assert.Empty(Active.Problems());
    }
}
