using System.Text.Json;
using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// Everything the engine decided about one application and why, in one object that is stored as JSON
/// beside the application (<see cref="RiskAssessment.DecisionRecordJson"/>) and read back for the
/// timeline and the review queue. Holds no name, ID number or phone.
/// </summary>
/// <param name="Decision">What risk decided. A routed decision with no taker still says Route; see <see cref="Status"/>.</param>
/// <param name="DecisionReasons">Signal and policy codes behind the decision (see <see cref="DecisionPolicy"/>).</param>
/// <param name="Status">Where the application ends up: Routed, InReview, Rejected, Duplicate or Unmatched.</param>
/// <param name="Strategy">The routing strategy used; null when the application was not offered to products.</param>
/// <param name="Products">Every product considered, eligible or not, with its reasons; empty when not routed.</param>
/// <param name="Allocation">How the winner was drawn; null when no product was eligible or the application was not routed.</param>
/// <param name="ReleasedFromReview">True when a reviewer approved a held application and this record routed it.</param>
public sealed record DecisionRecord(
    string ScorecardVersion,
    int Score,
    RiskTier Tier,
    IReadOnlyList<ReasonCode> Reasons,
    IReadOnlyList<AttributePoints> ScoreBreakdown,
    IReadOnlyList<FraudSignal> Signals,
    FraudCluster? Cluster,
    Decision Decision,
    IReadOnlyList<string> DecisionReasons,
    ApplicationStatus Status,
    RoutingStrategy? Strategy,
    IReadOnlyList<ProductEligibility> Products,
    AllocationResult? Allocation,
    DateOnly DecidedOn,
    bool ReleasedFromReview)
{
    /// <summary>The reason codes alone, as <see cref="RiskAssessment.ReasonCodes"/> keeps them.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ReasonCodes => [.. Reasons.Select(r => r.Code)];

    /// <summary>The signal codes alone, as <see cref="RiskAssessment.Signals"/> keeps them.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> SignalCodes => [.. Signals.Select(s => s.Code)];

    [JsonIgnore]
    public ProductSnapshot? RoutedTo => Status == ApplicationStatus.Routed ? Allocation?.Winner : null;

    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    public static DecisionRecord FromJson(string json) =>
        JsonSerializer.Deserialize<DecisionRecord>(json, EngineJson.Options)
        ?? throw new DomainException("The decision record JSON is empty.");
}

/// <summary>One product's verdict on the applicant.</summary>
public sealed record ProductEligibility(
    ProductId ProductId,
    string LenderCode,
    string ProductCode,
    bool IsEligible,
    IReadOnlyList<IneligibilityReason> Reasons,
    decimal ExpectedCommission);
