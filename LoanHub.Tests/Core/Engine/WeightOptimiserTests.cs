using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.WeightOptimiserFixtures;

namespace LoanHub.Tests.Core.Engine;

public class WeightOptimiserTests
{
    [Fact]
    public void Commission_moves_weight_to_the_product_that_approves_tier_A_more_down_to_the_minimum_share()
    {
        var good = Offer("GOOD");
        var poor = Offer("POOR");
        var rates = Rates((good, RiskTier.A, 0.80, 1.0), (poor, RiskTier.A, 0.20, 1.0));

        var suggestion = WeightOptimiser.Suggest(Input(rates, [good, poor], [Group(RiskTier.A, 700, good, poor)]), SuggestionObjective.Commission);

        Assert.True(suggestion.Differs);
        Assert.InRange(suggestion.ShareOf(poor, good, poor), 0.05, 0.055);
        Assert.True(suggestion.Suggested.Commission > suggestion.Current.Commission);
        // 100 a day, half at 80 % and half at 20 % approval of ¥100, over 7 days; then 95 % of them at 80 %.
        Assert.Equal(35_000m, suggestion.Current.Commission);
        Assert.InRange(suggestion.Suggested.Commission, 53_000m, 54_000m);
    }

    [Fact]
    public void Products_that_rate_and_pay_alike_keep_todays_weights()
    {
        var one = Offer("ONE", weight: 30);
        var two = Offer("TWO", weight: 70);
        var rates = Rates((one, RiskTier.B, 0.5, 0.9), (two, RiskTier.B, 0.5, 0.9));

        var suggestion = WeightOptimiser.Suggest(Input(rates, [one, two], [Group(RiskTier.B, 300, one, two)]), SuggestionObjective.Commission);

        Assert.False(suggestion.Differs);
        Assert.All(suggestion.Weights, w => Assert.Equal(w.Current, w.Suggested));
        Assert.Equal(suggestion.Current.Commission, suggestion.Suggested.Commission);
    }

    [Fact]
    public void Each_tier_is_weighed_by_what_its_applicants_are_worth_to_the_products_they_may_take()
    {
        // Tier A applicants may take both; tier C applicants only WIDE. WIDE approves tier A poorly, so weight goes to
        // NARROW, which is all tier A can use it for: tier C goes to WIDE whatever its weight.
        var narrow = Offer("NARROW");
        var wide = Offer("WIDE");
        var rates = Rates((narrow, RiskTier.A, 0.7, 1.0), (wide, RiskTier.A, 0.3, 1.0), (wide, RiskTier.C, 0.4, 1.0));
        var groups = new[] { Group(RiskTier.A, 700, narrow, wide), Group(RiskTier.C, 700, wide) };

        var suggestion = WeightOptimiser.Suggest(Input(rates, [narrow, wide], groups), SuggestionObjective.Approvals);

        Assert.True(suggestion.SuggestedOf(narrow) > suggestion.SuggestedOf(wide));
        Assert.InRange(suggestion.ShareOf(wide, narrow, wide), 0.05, 0.055);
        Assert.True(suggestion.Suggested.Approvals > suggestion.Current.Approvals);
    }

    [Fact]
    public void A_full_daily_cap_closes_the_product_and_the_rest_of_the_day_goes_to_the_others()
    {
        var capped = Offer("CAPPED", dailyCap: 10);
        var open = Offer("OPEN");
        var rates = Rates((capped, RiskTier.A, 0.8, 1.0), (open, RiskTier.A, 0.2, 1.0));
        var input = Input(rates, [capped, open], [Group(RiskTier.A, 700, capped, open)], windowDays: 7);

        var forecast = WeightOptimiser.Forecast(input, new Dictionary<ProductId, int> { [capped.ProductId] = 90, [open.ProductId] = 10 });

        Assert.Equal(10d, forecast.LoadOf(capped).LeadsPerDay, 4);
        Assert.Equal(90d, forecast.LoadOf(open).LeadsPerDay, 4);
        Assert.Equal(7 * (10 * 0.8 + 90 * 0.2), forecast.Approvals, 1);
    }

    [Fact]
    public void A_monthly_budget_is_spent_evenly_and_never_beyond_a_thirtieth_a_day()
    {
        var budgeted = Offer("BUDGETED", monthlyBudget: 3_000m);
        var other = Offer("OTHER");
        var rates = Rates((budgeted, RiskTier.A, 0.9, 1.0), (other, RiskTier.A, 0.1, 1.0));

        var suggestion = WeightOptimiser.Suggest(Input(rates, [budgeted, other], [Group(RiskTier.A, 700, budgeted, other)]), SuggestionObjective.Commission);

        Assert.True(suggestion.Suggested.LoadOf(budgeted).CommissionPerDay <= 100d + 1e-9);
        Assert.Equal(100d, suggestion.Current.LoadOf(budgeted).CommissionPerDay, 6);
        Assert.False(suggestion.Differs); // the budget binds whatever the weights: nothing to gain
    }

    [Fact]
    public void Among_equal_approvals_the_approvals_objective_prefers_the_lower_rate_and_commission_does_not_care()
    {
        var cheap = Offer("CHEAP", apr: AprRange.Create(0.06m, 0.10m));
        var dear = Offer("DEAR", apr: AprRange.Create(0.24m, 0.36m));
        var rates = Rates((cheap, RiskTier.B, 0.5, 1.0), (dear, RiskTier.B, 0.5, 1.0));
        var input = Input(rates, [cheap, dear], [Group(RiskTier.B, 70, cheap, dear)]);

        var approvals = WeightOptimiser.Suggest(input, SuggestionObjective.Approvals);
        var commission = WeightOptimiser.Suggest(input, SuggestionObjective.Commission);

        Assert.InRange(approvals.ShareOf(dear, cheap, dear), 0.05, 0.055);
        Assert.Equal(approvals.Current.Approvals, approvals.Suggested.Approvals, 6);
        Assert.False(commission.Differs);
    }

    [Fact]
    public void Drained_and_paused_products_keep_their_weight_and_take_nothing()
    {
        var good = Offer("GOOD");
        var drained = Offer("DRAINED", weight: 0);
        var paused = Offer("PAUSED", weight: 40, active: false);
        var rates = Rates((good, RiskTier.A, 0.3, 1.0), (drained, RiskTier.A, 0.9, 1.0), (paused, RiskTier.A, 0.9, 1.0));

        var suggestion = WeightOptimiser.Suggest(Input(rates, [good, drained, paused], [Group(RiskTier.A, 70, good, drained, paused)]),
            SuggestionObjective.Commission);

        Assert.Equal(0, suggestion.SuggestedOf(drained));
        Assert.Equal(40, suggestion.SuggestedOf(paused));
        Assert.Equal(0d, suggestion.Suggested.LoadOf(paused).LeadsPerDay);
    }

    [Fact]
    public void A_product_no_recent_applicant_could_take_is_scaled_with_the_others_and_not_left_with_a_sliver()
    {
        var good = Offer("GOOD");
        var poor = Offer("POOR");
        var idle = Offer("IDLE"); // its criteria took nobody this week; tomorrow's applicants may fit
        var rates = Rates((good, RiskTier.A, 0.8, 1.0), (poor, RiskTier.A, 0.2, 1.0));

        var suggestion = WeightOptimiser.Suggest(Input(rates, [good, poor, idle], [Group(RiskTier.A, 700, good, poor)]), SuggestionObjective.Commission);

        Assert.True(suggestion.Differs);
        Assert.True(suggestion.ShareOf(idle, good, poor, idle) >= 0.05, $"idle {suggestion.SuggestedOf(idle)} beside {suggestion.SuggestedOf(good)}, {suggestion.SuggestedOf(poor)}");
    }

    [Fact]
    public void Todays_weights_that_starve_a_product_are_lifted_to_its_minimum_share_even_at_a_cost()
    {
        var good = Offer("GOOD", weight: 1_000);
        var starved = Offer("STARVED", weight: 1);
        var rates = Rates((good, RiskTier.A, 0.8, 1.0), (starved, RiskTier.A, 0.1, 1.0));

        var suggestion = WeightOptimiser.Suggest(Input(rates, [good, starved], [Group(RiskTier.A, 70, good, starved)], minimumShare: 0.10),
            SuggestionObjective.Commission);

        Assert.True(suggestion.Differs);
        Assert.InRange(suggestion.ShareOf(starved, good, starved), 0.10, 0.11);
        Assert.True(suggestion.Suggested.Commission < suggestion.Current.Commission);
    }

    [Fact]
    public void A_lender_that_refuses_most_leads_earns_less_than_its_rates_alone_promise()
    {
        // SHY approves more of what it takes but takes a fifth of its leads: BOLD earns more per lead offered.
        var shy = Offer("SHY");
        var bold = Offer("BOLD");
        var rates = Rates((shy, RiskTier.A, 0.9, 0.2), (bold, RiskTier.A, 0.5, 0.95));

        var suggestion = WeightOptimiser.Suggest(Input(rates, [shy, bold], [Group(RiskTier.A, 700, shy, bold)]), SuggestionObjective.Commission);

        Assert.True(suggestion.SuggestedOf(bold) > suggestion.SuggestedOf(shy));
    }
}
