using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Tests.Core.Engine;

/// <summary>Builders for the weight optimiser's inputs: products, applicant groups, and rates learned from plenty of outcomes.</summary>
internal static class WeightOptimiserFixtures
{
    /// <summary>Enough outcomes that the learned rate is the given one to three decimals, whatever the prior.</summary>
    private const int Trials = 100_000;

    public static SuggestionProduct Offer(string code, int weight = 50, CommissionContract? commission = null, int? dailyCap = null,
        decimal? monthlyBudget = null, AprRange? apr = null, bool active = true, string lender = "L") =>
        new(ProductId.New(), lender, code, commission ?? CommissionContract.PerApproval(100m), weight, dailyCap, monthlyBudget, apr, active);

    public static ApplicantGroup Group(RiskTier tier, int applicants, params SuggestionProduct[] eligible) =>
        new(tier, [.. eligible.Select(p => p.ProductId)], applicants, applicants * 10_000m);

    /// <summary>Rates learned from outcomes: per product and tier, approval and acceptance as given.</summary>
    public static LearnedRates Rates(params (SuggestionProduct Product, RiskTier Tier, double Approval, double Acceptance)[] truths) =>
        LearnedRates.From(truths.Select(t => new ProductTierCounts(t.Product.ProductId, t.Tier, new OutcomeCounts
        {
            Offered = Trials,
            Accepted = (int)Math.Round(t.Acceptance * Trials),
            Decided = Trials,
            Approved = (int)Math.Round(t.Approval * Trials),
        })), RatePriors.Default, DateTimeOffset.UnixEpoch);

    public static SuggestionInput Input(LearnedRates rates, IReadOnlyList<SuggestionProduct> products, IReadOnlyList<ApplicantGroup> groups,
        int windowDays = 7, double minimumShare = 0.05) => new(products, groups, windowDays, rates, minimumShare);

    public static int SuggestedOf(this WeightSuggestion suggestion, SuggestionProduct product) =>
        suggestion.Weights.Single(w => w.ProductId == product.ProductId).Suggested;

    public static double ShareOf(this WeightSuggestion suggestion, SuggestionProduct product, params SuggestionProduct[] among) =>
        (double)suggestion.SuggestedOf(product) / among.Sum(suggestion.SuggestedOf);

    public static ProductLoad LoadOf(this WeightForecast forecast, SuggestionProduct product) =>
        forecast.Products.Single(p => p.ProductId == product.ProductId);
}
