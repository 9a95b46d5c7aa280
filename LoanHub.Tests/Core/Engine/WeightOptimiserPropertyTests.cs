using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Tests.Core.Engine;

public class WeightOptimiserPropertyTests
{
    private const double Slack = 1e-6;

    private static Gen<CommissionContract> Contracts => Gen.OneOf(
        Gen.Choose(10, 60).Select(a => CommissionContract.PerLead(a)),
        Gen.Choose(50, 300).Select(a => CommissionContract.PerApproval(a)),
        Gen.Choose(5, 30).Select(r => CommissionContract.PerSale(r / 1000m)));

    private static Gen<SuggestionProduct> Product =>
        from contract in Contracts
        from weight in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 200)))
        from cap in Gen.Frequency((2, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 40).Select(c => (int?)c)))
        from budget in Gen.Frequency((2, Gen.Constant<decimal?>(null)), (1, Gen.Choose(0, 20_000).Select(b => (decimal?)b)))
        from apr in Gen.Frequency((1, Gen.Constant<AprRange?>(null)), (2, Gen.Choose(1, 30).Select(a => (AprRange?)AprRange.Create(a / 100m, (a + 6) / 100m))))
        from active in Gen.Frequency((1, Gen.Constant(false)), (6, Gen.Constant(true)))
        select new SuggestionProduct(ProductId.New(), "L", "P", contract, weight, cap, budget, apr, active);

    private static Gen<ApplicantGroup> Groups(SuggestionProduct[] products) =>
        from tier in Gen.Elements(Enum.GetValues<RiskTier>())
        from members in Gen.SubListOf(products)
        from applicants in Gen.Choose(1, 400)
        from amount in Gen.Choose(1_000, 50_000)
        select new ApplicantGroup(tier, [.. members.Select(p => p.ProductId)], applicants, applicants * (decimal)amount);

    private static Gen<(SuggestionProduct Product, RiskTier Tier, int Approved, int Accepted)> Outcomes(SuggestionProduct[] products) =>
        from product in Gen.Elements(products)
        from tier in Gen.Elements(Enum.GetValues<RiskTier>())
        from approved in Gen.Choose(0, 200)
        from accepted in Gen.Choose(0, 200)
        select (product, tier, approved, accepted);

    private static Gen<SuggestionInput> Inputs =>
        from count in Gen.Choose(1, 5)
        from products in Gen.ArrayOf(Product, count).Select(ps => ps.Select((p, i) => p with { ProductId = ProductId.New(), LenderCode = $"L{i % 3}", ProductCode = $"P{i}" }).ToArray())
        from groups in Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Groups(products), n))
        from outcomes in Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Outcomes(products), n))
        from days in Gen.Choose(1, 7)
        from share in Gen.Elements(0d, 0.05, 0.1, 0.2, 0.4)
        select new SuggestionInput(products, groups, days, LearnedRates.From(outcomes.Select(o => new ProductTierCounts(o.Product.ProductId, o.Tier,
            new OutcomeCounts { Decided = 200, Approved = o.Approved, Offered = 200, Accepted = o.Accepted })), RatePriors.Default, DateTimeOffset.UnixEpoch),
            share);

    private static Arbitrary<(SuggestionInput Input, SuggestionObjective Objective)> Cases =>
        Gen.Zip(Inputs, Gen.Elements(Enum.GetValues<SuggestionObjective>())).ToArbitrary();

    /// <summary>The products the optimiser tunes in a group: active, with a positive weight today.</summary>
    private static List<ProductId> Tuned(SuggestionInput input, ApplicantGroup group) =>
        [.. group.Eligible.Distinct().Where(id => input.Products.Single(p => p.ProductId == id) is { Active: true, Weight: > 0 })];

    /// <summary>Every tuned product of every eligible set at or above min(share, 1 / set size) of the set's weight.</summary>
    private static bool KeepsMinimumShares(SuggestionInput input, Func<ProductId, int> weightOf) =>
        input.Groups.Select(g => Tuned(input, g)).Where(set => set.Count > 0).All(set =>
        {
            var total = set.Sum(weightOf);
            var least = Math.Min(input.MinimumShare, 1d / set.Count);
            return total > 0 && set.All(id => weightOf(id) >= least * total - 1e-9);
        });

    private static Func<ProductId, int> Suggested(WeightSuggestion s) => id => s.Weights.Single(w => w.ProductId == id).Suggested;

    [Property(MaxTest = 150)]
    public Property Suggested_flows_never_exceed_a_daily_cap_or_a_thirtieth_of_a_monthly_budget() =>
        Prop.ForAll(Cases, c =>
        {
            var suggestion = WeightOptimiser.Suggest(c.Input, c.Objective);
            return c.Input.Products.All(p =>
            {
                var load = suggestion.Suggested.Products.Single(l => l.ProductId == p.ProductId);
                return (p.DailyCap is not { } cap || load.LeadsPerDay <= cap + Slack)
                    && (p.MonthlyBudget is not { } budget || load.CommissionPerDay <= (double)budget / WeightOptimiser.DaysPerMonth + Slack);
            });
        });

    [Property(MaxTest = 150)]
    public Property Suggested_weights_keep_every_tuned_product_its_minimum_share_of_each_eligible_set() =>
        Prop.ForAll(Cases, c => KeepsMinimumShares(c.Input, Suggested(WeightOptimiser.Suggest(c.Input, c.Objective))));

    [Property(MaxTest = 400)]
    public Property The_suggestion_is_never_worse_than_todays_weights_on_its_objective_when_they_keep_the_minimum_shares() =>
        Prop.ForAll(Cases, c =>
        {
            var suggestion = WeightOptimiser.Suggest(c.Input, c.Objective);
            var today = c.Input.Products.ToDictionary(p => p.ProductId, p => p.Weight);
            var keeps = KeepsMinimumShares(c.Input, id => today[id]);
            return (!keeps || suggestion.Suggested.Of(c.Objective) >= suggestion.Current.Of(c.Objective))
                .Label($"today keeps shares: {keeps}; today {suggestion.Current.Of(c.Objective)}, suggested {suggestion.Suggested.Of(c.Objective)}");
        });

    [Property(MaxTest = 100)]
    public Property Weights_stay_in_range_and_drained_or_paused_products_keep_theirs() =>
        Prop.ForAll(Cases, c =>
        {
            var suggestion = WeightOptimiser.Suggest(c.Input, c.Objective);
            return c.Input.Products.All(p => Suggested(suggestion)(p.ProductId) is var w and >= 0 and <= WeightOptimiser.MaxWeight
                && (p is { Active: true, Weight: > 0 } || w == p.Weight))
                && suggestion.Differs == suggestion.Weights.Any(w => w.Current != w.Suggested);
        });

    [Property(MaxTest = 100)]
    public Property The_suggestion_is_the_same_whatever_order_products_and_groups_come_in_and_its_forecast_is_the_models() =>
        Prop.ForAll(Cases, c =>
        {
            var first = WeightOptimiser.Suggest(c.Input, c.Objective);
            var shuffled = c.Input with { Products = [.. c.Input.Products.Reverse()], Groups = [.. c.Input.Groups.Reverse()] };
            var again = WeightOptimiser.Suggest(shuffled, c.Objective);
            var forecast = WeightOptimiser.Forecast(c.Input, first.Weights.ToDictionary(w => w.ProductId, w => w.Suggested));
            return first.Weights.SequenceEqual(again.Weights)
                && first.Suggested.Commission == again.Suggested.Commission && first.Suggested.Approvals == again.Suggested.Approvals
                && forecast.Commission == first.Suggested.Commission && forecast.Approvals == first.Suggested.Approvals;
        });
}
