namespace LoanHub.Core.Domain;

public enum Decision { Route, Review, Reject, Duplicate }

/// <summary>
/// The decision record of one application: score, tier, reason codes, fraud signals and the
/// outcome of eligibility and allocation, kept so every automated decision can be explained.
/// </summary>
public sealed class RiskAssessment
{
    public Guid Id { get; private set; }
    public ApplicationId ApplicationId { get; private set; }
    public string ScorecardVersion { get; private set; } = "";
    public int Score { get; private set; }
    public RiskTier Tier { get; private set; }
    public IReadOnlyList<string> ReasonCodes { get; private set; } = [];
    public IReadOnlyList<string> Signals { get; private set; } = [];
    public Decision Decision { get; private set; }
    /// <summary>The full record (ineligible products and why, allocation candidates) as JSON.</summary>
    public string DecisionRecordJson { get; private set; } = "{}";
    public DateTimeOffset AssessedAt { get; private set; }
    /// <summary>The <see cref="CatalogVersion"/> the engine decided on; null for decisions older than the catalog history.</summary>
    public long? CatalogVersionId { get; private set; }
    /// <summary>The applicant's age in completed years on the decision day: what a replay needs of the birth date, without the ID it comes from.</summary>
    public int? ApplicantAge { get; private set; }
    /// <summary>
    /// Some product turned this applicant away for its daily cap or monthly budget: the what-if then reads the record for
    /// when each limit ran out. A column of its own, so a replay of a million applicants reads the record only of these.
    /// </summary>
    public bool TurnedAwayForLimit { get; private set; }

    private RiskAssessment() { }

    public RiskAssessment(ApplicationId applicationId, string scorecardVersion, int score, RiskTier tier,
        IReadOnlyList<string> reasonCodes, IReadOnlyList<string> signals, Decision decision,
        string decisionRecordJson, DateTimeOffset assessedAt, long? catalogVersionId = null, int? applicantAge = null)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        ScorecardVersion = scorecardVersion;
        Score = score;
        Tier = tier;
        ReasonCodes = reasonCodes;
        Signals = signals;
        Decision = decision;
        Record(decisionRecordJson);
        AssessedAt = assessedAt;
        CatalogVersionId = catalogVersionId;
        ApplicantAge = applicantAge;
    }

    /// <summary>
    /// The record once delivery has ended: the last allocation drawn (after lenders refused earlier ones) and
    /// where the application ended up. Score, tier, signals and the risk decision never change.
    /// </summary>
    public void RecordPlacement(string decisionRecordJson) => Record(decisionRecordJson);

    private void Record(string decisionRecordJson)
    {
        DecisionRecordJson = decisionRecordJson;
        TurnedAwayForLimit = decisionRecordJson.Contains(Engine.Eligibility.DailyCap, StringComparison.Ordinal)
                             || decisionRecordJson.Contains(Engine.Eligibility.MonthlyBudget, StringComparison.Ordinal);
    }
}
