using LoanHub.Core.Domain;
using LoanHub.Web.Features.Learning;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Demo;

/// <summary>The demo's generated history carries outcomes that differ by tier and product, so its Insights show learned rates.</summary>
public class DemoLearnedRatesTests
{
    [Fact]
    public async Task Demo_history_teaches_rates_that_differ_by_tier_and_some_products_have_enough_outcomes_to_trust()
    {
        await using var host = DemoHosts.TenDaysOfHistory();

        // Counted at start, before the first request: no refresh called here.
        var insights = await host.Services.GetRequiredService<InsightsService>().LoadAsync();

        Assert.True(insights.HasOutcomes);
        var tierA = host.Services.GetRequiredService<LearnedRatesBoard>().Current.ForTier(RiskTier.A).Approval;
        var tierD = host.Services.GetRequiredService<LearnedRatesBoard>().Current.ForTier(RiskTier.D).Approval;
        // What the outcomes alone say, not the priors (which differ by tier by themselves).
        Assert.True(tierA.Trials >= 10 && tierA.Raw > tierD.Raw + 0.15, $"tier A {tierA.Raw:P1} of {tierA.Trials}, tier D {tierD.Raw:P1} of {tierD.Trials}");
        Assert.Contains(insights.Rows, r => !r.Rates.TooFewToTrust);
        Assert.Contains(insights.Rows, r => r.Rates.TooFewToTrust);
    }
}
