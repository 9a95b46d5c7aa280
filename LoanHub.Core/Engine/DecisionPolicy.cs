using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// Maps a score and fraud findings to reject, review, duplicate or route.
/// </summary>
/// <remarks>
/// Precedence, strongest first: a duplicate is reported as such whatever else is true (the source needs
/// to know it already sold this lead); then any reject signal or a score below <see cref="RejectBelowScore"/>
/// or a tier at or past <see cref="RejectFromTier"/>; then any review signal or a score in the grey band
/// below <see cref="ReviewBelowScore"/>; otherwise route. Defaults: reject below 480 (tier E under the
/// default scorecard), review from 480 to 539, route from 540.
/// </remarks>
public sealed record DecisionPolicy
{
    public int RejectBelowScore { get; init; } = 480;
    public RiskTier RejectFromTier { get; init; } = RiskTier.E;
    public int ReviewBelowScore { get; init; } = 540;

    public static DecisionPolicy Default { get; } = new();

    public const string ScoreBelowFloor = "SCORE_BELOW_FLOOR";
    public const string TierRejected = "TIER_REJECTED";
    public const string ScoreGreyBand = "SCORE_GREY_BAND";

    public DecisionOutcome Decide(ScoreResult score, FraudFindings findings)
    {
        SignalSeverity? strongest = findings.Signals.Count == 0 ? null : findings.Signals.Max(s => s.Severity);
        var decision = DecisionFor(score.Score, score.Tier, strongest);
        switch (decision)
        {
            case Decision.Duplicate:
                return new(decision, CodesOf(findings, SignalSeverity.Duplicate));
            case Decision.Reject:
                var reject = CodesOf(findings, SignalSeverity.Reject);
                if (score.Score < RejectBelowScore) reject.Add(ScoreBelowFloor);
                if (score.Tier >= RejectFromTier) reject.Add(TierRejected);
                return new(decision, reject);
            case Decision.Review:
                var review = CodesOf(findings, SignalSeverity.Review);
                if (score.Score < ReviewBelowScore) review.Add(ScoreGreyBand);
                return new(decision, review);
            default:
                return new(decision, []);
        }
    }

    /// <summary>
    /// The decision alone, from the strongest severity among the signals (null when none), by the same precedence as
    /// <see cref="Decide"/>: for a backtest deciding a million stored applicants, which needs no reasons.
    /// </summary>
    public Decision DecisionFor(int score, RiskTier tier, SignalSeverity? strongest) => strongest switch
    {
        SignalSeverity.Duplicate => Decision.Duplicate,
        SignalSeverity.Reject => Decision.Reject,
        _ when score < RejectBelowScore || tier >= RejectFromTier => Decision.Reject,
        SignalSeverity.Review => Decision.Review,
        _ when score < ReviewBelowScore => Decision.Review,
        _ => Decision.Route,
    };

    private static List<string> CodesOf(FraudFindings findings, SignalSeverity severity) =>
        findings.Signals.Where(s => s.Severity == severity).Select(s => s.Code).Distinct().ToList();
}

/// <param name="Because">The signal and policy codes that made the decision; empty for a plain route.</param>
public sealed record DecisionOutcome(Decision Decision, IReadOnlyList<string> Because);
