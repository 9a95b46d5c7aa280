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
        var duplicate = CodesOf(findings, SignalSeverity.Duplicate);
        if (duplicate.Count > 0) return new(Decision.Duplicate, duplicate);

        var reject = CodesOf(findings, SignalSeverity.Reject);
        if (score.Score < RejectBelowScore) reject.Add(ScoreBelowFloor);
        if (score.Tier >= RejectFromTier) reject.Add(TierRejected);
        if (reject.Count > 0) return new(Decision.Reject, reject);

        var review = CodesOf(findings, SignalSeverity.Review);
        if (score.Score < ReviewBelowScore) review.Add(ScoreGreyBand);
        return review.Count > 0 ? new(Decision.Review, review) : new(Decision.Route, []);
    }

    private static List<string> CodesOf(FraudFindings findings, SignalSeverity severity) =>
        findings.Signals.Where(s => s.Severity == severity).Select(s => s.Code).Distinct().ToList();
}

/// <param name="Because">The signal and policy codes that made the decision; empty for a plain route.</param>
public sealed record DecisionOutcome(Decision Decision, IReadOnlyList<string> Because);
