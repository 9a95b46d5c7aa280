using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Features.Account;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>
/// A store where two lenders with the same CPA contract differ only in how often they approve: T1 four in five of its
/// tier A leads, T2 one in five. Set up once for the class: 120 applicants and their outcomes through the real APIs.
/// </summary>
public sealed class SuggestionHost : LoanHubHost, IAsyncLifetime
{
    public const string T1Key = "suggestion-lender-T1-51c0e7a2";
    public const string T2Key = "suggestion-lender-T2-c84d19f6";

    public IReadOnlyDictionary<string, int> Leads { get; private set; } = new Dictionary<string, int>();

    public SuggestionHost() => Settings["LoanHub:Seed:File"] = TwoCpaLenders.SeedFile(T1Key, T2Key, "Weighted");

    public async Task InitializeAsync() =>
        Leads = await SuggestionScenario.RouteAndReportAsync(CreateClient(), Services, 120,
            new Dictionary<string, (string, double)> { ["T1-LOAN"] = (T1Key, 0.8), ["T2-LOAN"] = (T2Key, 0.2) });

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public class WeightSuggestionServiceTests(SuggestionHost host) : IClassFixture<SuggestionHost>
{
    private const string Password = "Suggestion-Passw0rd";

    private WeightSuggestionService Suggestions => host.Services.GetRequiredService<WeightSuggestionService>();

    [Fact]
    public async Task The_suggestion_moves_weight_to_the_product_whose_lender_approves_more_as_a_proposal_on_the_active_version()
    {
        Assert.All(host.Leads.Values, leads => Assert.InRange(leads, 40, 80));
        var view = await host.Services.GetRequiredService<RoutingService>().LoadAsync();

        foreach (var objective in Enum.GetValues<SuggestionObjective>())
        {
            var outcome = await Suggestions.SuggestAsync(objective, TestUsers.Principal("analyst@test.local", Roles.Analyst));
            var suggestion = Assert.IsType<RoutingSuggestion>(outcome.Suggestion);

            Assert.True(suggestion.Differs);
            var t1 = suggestion.Weights.Single(w => w.ProductCode == "T1-LOAN");
            var t2 = suggestion.Weights.Single(w => w.ProductCode == "T2-LOAN");
            Assert.Equal((50, 50), (t1.Current, t2.Current));
            Assert.True(t1.Suggested > t2.Suggested, $"{objective}: T1 {t1.Suggested}, T2 {t2.Suggested}");
            // T2 keeps its minimum share (5 % by default) of the applicants both take, and no more.
            Assert.InRange((double)t2.Suggested / (t1.Suggested + t2.Suggested), 0.05, 0.06);
            Assert.True(suggestion.Suggested.Of(objective) > suggestion.Current.Of(objective));
            Assert.Equal(host.Leads.Values.Sum(), suggestion.Applicants);

            // A proposal on today's policy that changes the weights and nothing else.
            Assert.Equal(view.ActiveVersion, suggestion.BaseVersion);
            Assert.Equal(view.Current.Strategy, suggestion.Proposal.Strategy);
            Assert.Equal(suggestion.Weights.Select(w => w.Suggested), suggestion.Proposal.Products.Select(p => p.Weight));
            Assert.Equal(view.Current.Products.Select(p => p with { Weight = 0 }), suggestion.Proposal.Products.Select(p => p with { Weight = 0 }));
        }
    }

    [Fact]
    public async Task Suggestion_json_has_exactly_the_contract_fields_and_answers_the_routing_readers_only()
    {
        var analyst = (await AccountClient.SignedInAsNewUserAsync(host, Roles.Analyst, Password)).Client;
        var response = await analyst.Http.GetAsync(SuggestionEndpoints.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(["objective", "weights", "expected"], document.Select(p => p.Key));
        Assert.Equal("commission", (string)document["objective"]!);
        var weights = document["weights"]!.AsArray().Select(SuggestionScenario.Object).ToList();
        Assert.Equal(["lender", "product", "current", "suggested"], weights[0].Select(p => p.Key));
        Assert.Equal([("T1", "T1-LOAN", 50), ("T2", "T2-LOAN", 50)], weights.Select(w => ((string)w["lender"]!, (string)w["product"]!, (int)w["current"]!)));
        Assert.True((int)weights[0]["suggested"]! > (int)weights[1]["suggested"]!);
        var expected = SuggestionScenario.Object(document["expected"]);
        Assert.Equal(["current", "suggested"], expected.Select(p => p.Key));
        foreach (var side in new[] { "current", "suggested" })
            Assert.Equal(["commission", "approvals"], SuggestionScenario.Object(expected[side]).Select(p => p.Key));
        Assert.True((decimal)expected["suggested"]!["commission"]! > (decimal)expected["current"]!["commission"]!);

        var approvals = (await analyst.Http.GetFromJsonAsync<JsonObject>($"{SuggestionEndpoints.Path}?objective=approvals"))!;
        Assert.Equal("approvals", (string)approvals["objective"]!);
        Assert.True((double)approvals["expected"]!["suggested"]!["approvals"]! > (double)approvals["expected"]!["current"]!["approvals"]!);

        foreach (var role in (string[])[Roles.Admin, Roles.OperationsManager])
            Assert.Equal(HttpStatusCode.OK, (await (await AccountClient.SignedInAsNewUserAsync(host, role, Password)).Client.Http.GetAsync(SuggestionEndpoints.Path)).StatusCode);
        var reviewer = (await AccountClient.SignedInAsNewUserAsync(host, Roles.ComplianceReviewer, Password)).Client;
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.Http.GetAsync(SuggestionEndpoints.Path)).StatusCode);
        Assert.Contains("/Account/Login", await AccountClient.For(host).RedirectOfAsync(SuggestionEndpoints.Path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("revenue")]
    [InlineData("")]
    [InlineData("commission&objective=approvals")]
    public async Task An_objective_other_than_commission_or_approvals_is_refused_with_problem_details(string objective)
    {
        var analyst = (await AccountClient.SignedInAsNewUserAsync(host, Roles.Analyst, Password)).Client;
        var response = await analyst.Http.GetAsync($"{SuggestionEndpoints.Path}?objective={objective}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(400, (int)problem["status"]!);
        Assert.Contains("commission", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_a_routing_role_gets_no_suggestion_from_the_service()
    {
        var outcome = await Suggestions.SuggestAsync(SuggestionObjective.Commission, TestUsers.Principal("reviewer@test.local", Roles.ComplianceReviewer));
        Assert.True(outcome.Forbidden);
        Assert.Null(outcome.Suggestion);
    }
}

public class WeightSuggestionWithoutOutcomesTests
{
    private const string Password = "Suggestion-Passw0rd";

    [Fact]
    public async Task Without_applicants_or_outcomes_there_is_no_suggestion_and_the_json_says_why()
    {
        await using var host = new LoanHubHost();
        host.Settings["LoanHub:Seed:File"] = TwoCpaLenders.SeedFile(SuggestionHost.T1Key, SuggestionHost.T2Key, "Weighted");
        var suggestions = host.Services.GetRequiredService<WeightSuggestionService>();
        var analyst = TestUsers.Principal("analyst@test.local", Roles.Analyst);

        Assert.Equal(WeightSuggestionService.Text.NoApplicants, (await suggestions.SuggestAsync(SuggestionObjective.Commission, analyst)).Reason);

        // Routed, but no lender has reported: every rate is its prior.
        await SuggestionScenario.RouteAndReportAsync(host.CreateClient(), host.Services, 4, new Dictionary<string, (string, double)>());
        var outcome = await suggestions.SuggestAsync(SuggestionObjective.Commission, analyst);
        Assert.Null(outcome.Suggestion);
        Assert.StartsWith("Not enough outcomes to suggest", outcome.Unavailable, StringComparison.Ordinal);

        var client = (await AccountClient.SignedInAsNewUserAsync(host, Roles.Analyst, Password)).Client;
        var response = await client.Http.GetAsync(SuggestionEndpoints.Path);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.StartsWith("Not enough outcomes to suggest", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_on_another_strategy_than_weighted_gets_no_suggestion()
    {
        await using var host = new LoanHubHost();
        host.Settings["LoanHub:Seed:File"] = TwoCpaLenders.SeedFile(SuggestionHost.T1Key, SuggestionHost.T2Key, "Priority");
        var outcome = await host.Services.GetRequiredService<WeightSuggestionService>()
            .SuggestAsync(SuggestionObjective.Commission, TestUsers.Principal("analyst@test.local", Roles.Analyst));
        Assert.Null(outcome.Suggestion);
        Assert.Contains("Weighted strategy", outcome.Unavailable, StringComparison.Ordinal);
    }
}
