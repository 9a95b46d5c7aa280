using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// The commission a lead is expected to earn before the lender reports back: what budgets reserve and
/// what the expected-value strategy ranks by. It is the amount stored as the allocation's expected
/// commission, so budgets, ranking and reconciliation all use one number.
/// </summary>
/// <remarks>
/// CPL pays on delivery, so it is certain. CPA pays on approval: approval probability for the tier ×
/// amount. CPS pays a rate of the funded amount: approval probability × rate × requested amount ×
/// <see cref="FundingRatio"/> (the share of the requested amount lenders fund on average; 1.0 until
/// outcomes say otherwise).
/// </remarks>
public sealed record CommissionForecast
{
    public decimal ApprovalA { get; init; } = 0.60m;
    public decimal ApprovalB { get; init; } = 0.45m;
    public decimal ApprovalC { get; init; } = 0.30m;
    public decimal ApprovalD { get; init; } = 0.15m;
    public decimal ApprovalE { get; init; } = 0.05m;
    public decimal FundingRatio { get; init; } = 1.0m;

    public static CommissionForecast Default { get; } = new();

    public decimal ApprovalProbability(RiskTier tier) => tier switch
    {
        RiskTier.A => ApprovalA,
        RiskTier.B => ApprovalB,
        RiskTier.C => ApprovalC,
        RiskTier.D => ApprovalD,
        _ => ApprovalE,
    };

    /// <summary>Expected commission of one lead, CNY rounded to the fen.</summary>
    public decimal Expected(CommissionContract contract, RiskTier tier, decimal requestedAmount) => Money.Round(contract.Model switch
    {
        CommissionModel.CPL => contract.Amount,
        CommissionModel.CPA => ApprovalProbability(tier) * contract.Amount,
        // Before the auction, a Bid product is sure of its floor and nothing more.
        CommissionModel.Bid => contract.MinPrice,
        _ => ApprovalProbability(tier) * contract.Rate * requestedAmount * FundingRatio,
    });
}
