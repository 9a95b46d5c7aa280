using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Tests.Core.Engine;

public class DecisionPolicyTests
{
    private static readonly DecisionPolicy Policy = DecisionPolicy.Default;

    private static ScoreResult Scored(int score) => new(score, ScorecardDefinition.Default.Tiers.TierOf(score), [], "test", []);

    private static FraudFindings With(params (string Code, SignalSeverity Severity)[] signals) =>
        new([.. signals.Select(s => new FraudSignal(s.Code, s.Severity, "detail"))], null);

    [Theory]
    [InlineData(479, Decision.Reject)]
    [InlineData(480, Decision.Review)]
    [InlineData(539, Decision.Review)]
    [InlineData(540, Decision.Route)]
    public void Score_floor_and_grey_band_decide_a_clean_application(int score, Decision expected) =>
        Assert.Equal(expected, Policy.Decide(Scored(score), FraudFindings.None).Decision);

    [Fact]
    public void Tier_E_is_rejected_even_above_the_score_floor()
    {
        var outcome = Policy.Decide(new ScoreResult(600, RiskTier.E, [], "test", []), FraudFindings.None);

        Assert.Equal(Decision.Reject, outcome.Decision);
        Assert.Equal([DecisionPolicy.TierRejected], outcome.Because);
    }

    [Fact]
    public void Any_review_signal_holds_a_high_score_for_review()
    {
        var outcome = Policy.Decide(Scored(650), With((FraudSignal.PhoneShared, SignalSeverity.Review)));

        Assert.Equal(Decision.Review, outcome.Decision);
        Assert.Equal([FraudSignal.PhoneShared], outcome.Because);
    }

    [Fact]
    public void A_reject_signal_outweighs_review_signals_and_a_good_score()
    {
        var outcome = Policy.Decide(Scored(650),
            With((FraudSignal.Ring, SignalSeverity.Review), (FraudSignal.Underage, SignalSeverity.Reject)));

        Assert.Equal(Decision.Reject, outcome.Decision);
        Assert.Equal([FraudSignal.Underage], outcome.Because);
    }

    [Fact]
    public void A_duplicate_is_reported_as_duplicate_whatever_else_is_wrong()
    {
        var outcome = Policy.Decide(Scored(400),
            With((FraudSignal.Underage, SignalSeverity.Reject), (FraudSignal.Duplicate, SignalSeverity.Duplicate)));

        Assert.Equal(Decision.Duplicate, outcome.Decision);
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var lenient = Policy with { RejectBelowScore = 400, ReviewBelowScore = 400 };

        Assert.Equal(Decision.Route, lenient.Decide(new ScoreResult(450, RiskTier.D, [], "test", []), FraudFindings.None).Decision);
    }
}
