using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class EligibilityTests
{
    private static EligibilityResult Check(ProductSnapshot product, ProductUsage? usage = null,
        ApplicantProfile? applicant = null, int score = 625, RiskTier tier = RiskTier.B) =>
        Eligibility.Check(applicant ?? Applicant(), score, tier, product, usage ?? ProductUsage.None, Today);

    [Fact]
    public void Open_product_takes_a_typical_applicant()
    {
        var result = Check(Product("open"));

        Assert.True(result.IsEligible);
        Assert.Equal(20m, result.ExpectedCommission);
    }

    public static TheoryData<string, EligibilityCriteria> CriteriaMisses() => new()
    {
        { Eligibility.AmountOutOfRange, Criteria(maxAmount: 49_999.99m) },
        { Eligibility.TermOutOfRange, Criteria(minTerm: 13) },
        { Eligibility.Age, Criteria(minAge: 31) },
        { Eligibility.Score, Criteria(minScore: 626) },
        { Eligibility.Income, Criteria(minIncome: 8_000.01m) },
        { Eligibility.Province, Criteria(provinces: ["11", "44"]) },
        { Eligibility.Employment, Criteria(employment: [Employment.BusinessOwner]) },
        { Eligibility.Tier, Criteria(maxTier: RiskTier.A) },
        { Eligibility.Purpose, Criteria(purposes: [LoanPurpose.CarPurchase]) },
    };

    [Theory]
    [MemberData(nameof(CriteriaMisses))]
    public void Each_missed_criterion_is_named_by_its_code(string code, EligibilityCriteria criteria)
    {
        var result = Check(Product("p", criteria: criteria));

        Assert.Equal([code], result.Reasons.Select(r => r.Code));
    }

    [Theory]
    [MemberData(nameof(CriteriaMisses))]
    public void Without_explanations_the_same_codes_and_commission_come_back_with_no_detail_formatted(string code, EligibilityCriteria criteria)
    {
        var product = Product("p", criteria: criteria, dailyCap: 1, monthlyBudget: 10m);
        var usage = new ProductUsage(1, 5m);
        var explained = Eligibility.Check(Applicant(), 625, RiskTier.B, product, usage, Today);
        var lean = Eligibility.Check(Applicant(), 625, RiskTier.B, product, usage, Today, explain: false);

        Assert.Equal([code, Eligibility.DailyCap, Eligibility.MonthlyBudget], lean.Reasons.Select(r => r.Code));
        Assert.Equal(explained.Reasons.Select(r => r.Code), lean.Reasons.Select(r => r.Code));
        Assert.Equal(explained.ExpectedCommission, lean.ExpectedCommission);
        Assert.All(explained.Reasons, r => Assert.NotEmpty(r.Detail));
        Assert.All(lean.Reasons, r => Assert.Empty(r.Detail));
    }

    [Fact]
    public void Criteria_met_at_their_bounds_are_eligible()
    {
        var exact = Criteria(minAmount: 50_000m, maxAmount: 50_000m, minTerm: 12, maxTerm: 12, minAge: 30, maxAge: 30,
            minScore: 625, minIncome: 8_000m, provinces: ["31"], employment: [Employment.Salaried], maxTier: RiskTier.B);

        Assert.True(Check(Product("p", criteria: exact)).IsEligible);
    }

    [Fact]
    public void A_paused_product_or_lender_is_PAUSED()
    {
        Assert.Equal([Eligibility.Paused], Check(Product("p", productActive: false)).Reasons.Select(r => r.Code));
        Assert.Equal([Eligibility.Paused], Check(Product("p", lenderActive: false)).Reasons.Select(r => r.Code));
    }

    [Theory]
    [InlineData(9, true)]
    [InlineData(10, false)]
    public void Daily_cap_of_10_takes_a_tenth_lead_but_not_an_eleventh(int leadsToday, bool eligible)
    {
        var result = Check(Product("p", dailyCap: 10), new ProductUsage(leadsToday, 0m));

        Assert.Equal(eligible, result.IsEligible);
        if (!eligible) Assert.Equal(Eligibility.DailyCap, Assert.Single(result.Reasons).Code);
    }

    [Theory]
    [InlineData(80, true)]
    [InlineData(80.01, false)]
    public void Monthly_budget_must_hold_the_leads_expected_commission(decimal committed, bool eligible)
    {
        var product = Product("p", monthlyBudget: 100m, commission: CommissionContract.PerLead(20m));

        var result = Check(product, new ProductUsage(0, committed));

        Assert.Equal(eligible, result.IsEligible);
        if (!eligible) Assert.Equal(Eligibility.MonthlyBudget, Assert.Single(result.Reasons).Code);
    }

    [Fact]
    public void Every_failed_rule_is_reported_not_just_the_first()
    {
        var product = Product("p", criteria: Criteria(minScore: 700, provinces: ["11"]), dailyCap: 0, productActive: false);

        var codes = Check(product).Reasons.Select(r => r.Code).ToArray();

        Assert.Equal([Eligibility.Paused, Eligibility.Score, Eligibility.Province, Eligibility.DailyCap], codes);
    }

    [Theory]
    [InlineData(CommissionModel.CPL, 30, 0, RiskTier.E, 30)]
    [InlineData(CommissionModel.CPA, 200, 0, RiskTier.A, 120)]
    [InlineData(CommissionModel.CPA, 200, 0, RiskTier.D, 30)]
    [InlineData(CommissionModel.CPS, 0, 0.02, RiskTier.B, 450)]
    public void Without_outcomes_expected_commission_weighs_payout_by_the_prior_approval_odds_of_the_tier(
        CommissionModel model, decimal amount, decimal rate, RiskTier tier, decimal expected)
    {
        var contract = CommissionContract.Create(model, amount, rate);

        Assert.Equal(expected, LearnedRates.None.For(ProductId.New(), tier).ExpectedCommission(contract, requestedAmount: 50_000m));
    }

    [Fact]
    public void A_car_loan_takes_a_car_purchase_and_explains_why_it_refuses_a_holiday()
    {
        var carLoan = Product("car", criteria: Criteria(purposes: [LoanPurpose.CarPurchase]));

        Assert.True(Check(carLoan, applicant: Applicant(purpose: LoanPurpose.CarPurchase)).IsEligible);
        var refused = Assert.Single(Check(carLoan, applicant: Applicant(purpose: LoanPurpose.Travel)).Reasons);
        Assert.Equal(Eligibility.Purpose, refused.Code);
        Assert.Equal("Purpose Travel is not lent for (only CarPurchase).", refused.Detail);
    }

    [Fact]
    public void A_product_without_purposes_lends_for_any()
    {
        var open = Product("any", criteria: Criteria(purposes: []));

        Assert.All(Enum.GetValues<LoanPurpose>(), purpose => Assert.True(Check(open, applicant: Applicant(purpose: purpose)).IsEligible));
    }
}
