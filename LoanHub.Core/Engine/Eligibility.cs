using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>Whether a product may take an applicant, and every reason it may not.</summary>
public static class Eligibility
{
    public const string AmountOutOfRange = "AMOUNT_OUT_OF_RANGE";
    public const string TermOutOfRange = "TERM_OUT_OF_RANGE";
    public const string Age = "AGE";
    public const string Score = "SCORE";
    public const string Income = "INCOME";
    public const string Province = "PROVINCE";
    public const string Employment = "EMPLOYMENT";
    public const string Purpose = "PURPOSE";
    public const string Tier = "TIER";
    public const string Paused = "PAUSED";
    public const string DailyCap = "DAILY_CAP";
    public const string MonthlyBudget = "MONTHLY_BUDGET";

    /// <summary>
    /// Checks every rule rather than stopping at the first, so the decision record says all the ways a
    /// product missed (an operator loosening one filter learns whether that alone would have helped).
    /// </summary>
    /// <param name="rates">The rates learned from outcomes the expected commission rests on; the priors without.</param>
    /// <param name="usage">Usage on <paramref name="today"/>'s business day and month; the caller counts it.</param>
    /// <param name="explain">False for callers that read only the reasons' codes (the what-if replaying a million
    /// applicants): each reason's detail is then left empty instead of formatted.</param>
    public static EligibilityResult Check(ApplicantProfile applicant, int score, RiskTier tier,
        ProductSnapshot product, ProductUsage usage, DateOnly today, LearnedRates? rates = null, bool explain = true)
    {
        var criteria = product.Criteria;
        var limits = product.Limits;
        var expected = (rates ?? LearnedRates.None).For(product.ProductId, tier).ExpectedCommission(product.Commission, applicant.RequestedAmount);
        var reasons = new List<IneligibilityReason>();

        void Fail(string code, bool explain, [InterpolatedStringHandlerArgument(nameof(explain))] ref ReasonDetail detail) =>
            reasons.Add(new(code, detail.Text()));

        if (!product.LenderActive) Fail(Paused, explain, $"The lender is paused.");
        if (!product.ProductActive) Fail(Paused, explain, $"The product is paused.");
        if (applicant.RequestedAmount < criteria.MinAmount || applicant.RequestedAmount > criteria.MaxAmount)
            Fail(AmountOutOfRange, explain, $"Amount {applicant.RequestedAmount:N2} is outside {criteria.MinAmount:N2}–{criteria.MaxAmount:N2}.");
        if (applicant.TermMonths < criteria.MinTermMonths || applicant.TermMonths > criteria.MaxTermMonths)
            Fail(TermOutOfRange, explain, $"Term {applicant.TermMonths} months is outside {criteria.MinTermMonths}–{criteria.MaxTermMonths}.");
        var age = applicant.AgeOn(today);
        if (age < criteria.MinAge || age > criteria.MaxAge)
            Fail(Age, explain, $"Age {age} is outside {criteria.MinAge}–{criteria.MaxAge}.");
        if (score < criteria.MinScore) Fail(Score, explain, $"Score {score} is below the minimum {criteria.MinScore}.");
        if (applicant.MonthlyIncome < criteria.MinMonthlyIncome)
            Fail(Income, explain, $"Monthly income {applicant.MonthlyIncome:N2} is below the minimum {criteria.MinMonthlyIncome:N2}.");
        if (criteria.Provinces.Count > 0 && !criteria.Provinces.Contains(applicant.ProvinceCode))
            Fail(Province, explain, $"Province {applicant.ProvinceCode} is not served.");
        if (criteria.Employment.Count > 0 && !criteria.Employment.Contains(applicant.Employment))
            Fail(Employment, explain, $"Employment {applicant.Employment} is not accepted.");
        if (criteria.Purposes.Count > 0 && !criteria.Purposes.Contains(applicant.Purpose))
            Fail(Purpose, explain, $"Purpose {applicant.Purpose} is not lent for (only {string.Join(", ", criteria.Purposes)}).");
        if (tier > criteria.MaxTier) Fail(Tier, explain, $"Tier {tier} is worse than the maximum {criteria.MaxTier}.");
        if (limits.DailyCap is { } cap && usage.LeadsToday >= cap)
            Fail(DailyCap, explain, $"Daily cap of {cap} leads reached.");
        // The lead's expected commission must fit in what is left: a budget is a ceiling, not a target.
        if (limits.MonthlyBudget is { } budget && usage.CommissionCommittedThisMonth + expected > budget)
            Fail(MonthlyBudget, explain, $"Monthly budget {budget:N2} cannot take {expected:N2} more (committed {usage.CommissionCommittedThisMonth:N2}).");

        return new EligibilityResult(reasons, expected);
    }
}

public sealed record IneligibilityReason(string Code, string Detail);

/// <param name="ExpectedCommission">What the lead would be expected to earn from this product (see <see cref="ProductTierRates.ExpectedCommission"/>).</param>
public sealed record EligibilityResult(IReadOnlyList<IneligibilityReason> Reasons, decimal ExpectedCommission)
{
    [JsonIgnore]
    public bool IsEligible => Reasons.Count == 0;
}
