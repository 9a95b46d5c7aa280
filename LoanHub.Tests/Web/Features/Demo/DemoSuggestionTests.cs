using LoanHub.Core.Engine;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Demo;

/// <summary>The demo's history, whose lenders approve differently by product, leads to a weight suggestion worth simulating.</summary>
public class DemoSuggestionTests
{
    [Fact]
    public async Task Demo_history_leads_to_a_suggestion_that_differs_from_todays_weights_for_each_objective_and_simulates()
    {
        await using var host = DemoHosts.TenDaysOfHistory();
        var suggestions = host.Services.GetRequiredService<WeightSuggestionService>();
        var operations = TestUsers.Principal("ops@test.local", Roles.OperationsManager);

        foreach (var objective in Enum.GetValues<SuggestionObjective>())
        {
            var outcome = await suggestions.SuggestAsync(objective, operations);
            var suggestion = Assert.IsType<RoutingSuggestion>(outcome.Suggestion);
            Assert.True(suggestion.Differs, objective.ToString());
            Assert.True(suggestion.Weights.Count(w => w.Current != w.Suggested) >= 3, $"{objective}: only {string.Join(", ", suggestion.Weights.Where(w => w.Current != w.Suggested).Select(w => w.ProductCode))} change");
            Assert.True(suggestion.Suggested.Of(objective) > suggestion.Current.Of(objective) * 1.02,
                $"{objective}: {suggestion.Current.Of(objective)} → {suggestion.Suggested.Of(objective)}");

            var simulation = await host.Services.GetRequiredService<RoutingService>()
                .SimulateAsync(suggestion.Proposal, suggestion.WindowStart, suggestion.WindowEnd, null, CancellationToken.None);
            Assert.Equal(suggestion.Proposal.Fingerprint, simulation.Receipt.Fingerprint);
            Assert.True(simulation.Result.Replayed > 0);
        }
    }
}
