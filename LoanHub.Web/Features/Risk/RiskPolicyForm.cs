using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Risk;

/// <summary>
/// The thresholds the risk policy page edits, bound field by field; <see cref="ToPolicy"/> makes the proposal, keeping what the
/// page does not edit (the device and IP windows, the minimum age) as the version it started from holds them.
/// </summary>
public sealed class RiskPolicyForm
{
    public int RejectBelowScore { get; set; }
    public int ReviewBelowScore { get; set; }
    public RiskTier RejectFromTier { get; set; }
    public int DeviceSharedMinIdentities { get; set; }
    public int PhoneSharedMinIdentities { get; set; }
    public int IpVelocityMinApplications { get; set; }
    public int RingMinIdentities { get; set; }
    public int DuplicateLookbackDays { get; set; }
    public decimal MaxAmountToMonthlyIncome { get; set; }
    public bool BlocklistedToReview { get; set; }

    private RiskPolicy basis = RiskPolicy.Default;

    public static RiskPolicyForm Of(RiskPolicy policy) => new()
    {
        basis = policy,
        RejectBelowScore = policy.Decision.RejectBelowScore,
        ReviewBelowScore = policy.Decision.ReviewBelowScore,
        RejectFromTier = policy.Decision.RejectFromTier,
        DeviceSharedMinIdentities = policy.Fraud.DeviceSharedMinIdentities,
        PhoneSharedMinIdentities = policy.Fraud.PhoneSharedMinIdentities,
        IpVelocityMinApplications = policy.Fraud.IpVelocityMinApplications,
        RingMinIdentities = policy.Fraud.RingMinIdentities,
        DuplicateLookbackDays = (int)Math.Round(policy.Fraud.DuplicateLookback.TotalDays),
        MaxAmountToMonthlyIncome = policy.Fraud.MaxAmountToMonthlyIncome,
        BlocklistedToReview = policy.Fraud.BlocklistedToReview,
    };

    public RiskPolicy ToPolicy() => new(
        basis.Decision with { RejectBelowScore = RejectBelowScore, ReviewBelowScore = ReviewBelowScore, RejectFromTier = RejectFromTier },
        basis.Fraud with
        {
            DeviceSharedMinIdentities = DeviceSharedMinIdentities,
            PhoneSharedMinIdentities = PhoneSharedMinIdentities,
            IpVelocityMinApplications = IpVelocityMinApplications,
            RingMinIdentities = RingMinIdentities,
            // Whole days only (the check says so); a look-back the page did not change keeps its exact stored value.
            DuplicateLookback = DuplicateLookbackDays == (int)Math.Round(basis.Fraud.DuplicateLookback.TotalDays)
                ? basis.Fraud.DuplicateLookback : TimeSpan.FromDays(DuplicateLookbackDays),
            MaxAmountToMonthlyIncome = MaxAmountToMonthlyIncome,
            BlocklistedToReview = BlocklistedToReview,
        });

    /// <summary>The problem with one field (named as on <see cref="DecisionPolicy"/> or <see cref="FraudPolicy"/>); null when it is fine.</summary>
    public string? Problem(string field) => ToPolicy().Problems().GetValueOrDefault(field);

    public bool IsValid => ToPolicy().Problems().Count == 0;
}
