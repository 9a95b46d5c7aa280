using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Learning;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using static System.FormattableString;

namespace LoanHub.Web.Features.Routing;

/// <summary>A suggestion the operator took, with the what-if run on exactly its proposal (none when that failed: it is run again before saving).</summary>
public sealed record TakenSuggestion(RoutingSuggestion Suggestion, PolicySimulation? Simulation);

/// <summary>
/// The routing page's Suggestion: weights the optimiser proposes for the chosen objective beside today's, what the model
/// expects of each, and the what-if run on the suggestion. Taking it hands it to the page's editable proposal; it is saved
/// like any other change, never by itself.
/// </summary>
public sealed partial class SuggestionPanel
{
    [Inject] private WeightSuggestionService Suggestions { get; set; } = null!;
    [Inject] private RoutingService Routing { get; set; } = null!;
    [Inject] private LearningOptions Learning { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    /// <summary>Whether the user may change routing: only then is the suggestion offered to take.</summary>
    [Parameter] public bool CanEdit { get; set; }

    [Parameter] public EventCallback<TakenSuggestion> OnTake { get; set; }

    private SuggestionObjective objective = SuggestionObjective.Commission;
    private SuggestionOutcome? outcome;
    private string? error;
    private bool loading;
    private bool simulating;
    private SimulationProgress? progress;
    private PolicySimulation? simulation;
    private string? simulationError;
    private CancellationTokenSource? work;

    private RoutingSuggestion? Suggestion => outcome?.Suggestion;

    private double MinimumShare => Learning.MinimumShare;

    /// <summary>Today's weights, as a proposal, to show today's shares beside the suggested ones.</summary>
    private RoutingProposal? TodayProposal => Suggestion is { } s
        ? s.Weights.Aggregate(s.Proposal, (p, w) => p.WithWeight(w.ProductId, w.Current))
        : null;

    private static string Share(RoutingProposal? proposal, ProductId product) =>
        proposal?.Products.FirstOrDefault(p => p.ProductId == product) is { } setting ? proposal.ShareOf(setting)?.ToString("P1") ?? "—" : "—";

    protected override Task OnInitializedAsync() => LoadAsync();

    private Task ChooseAsync(SuggestionObjective chosen)
    {
        if (chosen == objective && outcome is not null) return Task.CompletedTask;
        objective = chosen;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        work?.Cancel();
        work?.Dispose();
        work = new CancellationTokenSource();
        var token = work.Token;
        loading = true;
        simulation = null;
        simulationError = null;
        try
        {
            outcome = await Suggestions.SuggestAsync(objective, (await AuthenticationState).User, token);
            error = null;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            error = Text.LoadFailed(e.Message);
        }
        finally
        {
            loading = false;
        }
        if (Suggestion is { Differs: true } suggestion) await SimulateAsync(suggestion, token);
    }

    private async Task SimulateAsync(RoutingSuggestion suggestion, CancellationToken token)
    {
        simulating = true;
        progress = null;
        StateHasChanged();
        var reporter = new Progress<SimulationProgress>(p => _ = InvokeAsync(() =>
        {
            progress = p;
            StateHasChanged();
        }));
        try
        {
            simulation = await Routing.SimulateAsync(suggestion.Proposal, suggestion.WindowStart, suggestion.WindowEnd, reporter, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            simulationError = Text.SimulationFailed(e.Message);
        }
        finally
        {
            simulating = false;
        }
    }

    private async Task TakeAsync()
    {
        if (Suggestion is { } suggestion && !simulating) await OnTake.InvokeAsync(new TakenSuggestion(suggestion, simulation));
    }

    public void Dispose()
    {
        work?.Cancel();
        work?.Dispose();
    }

    /// <summary>Every text the view shows, in one place.</summary>
    private static class Text
    {
        public const string Title = "Suggested weights";
        public const string ObjectivePicker = "What to maximise";
        public const string Reload = "Suggest again";
        public const string Working = "Weighing the recent applicants against the learned rates…";
        public const string ExpectedCommission = "Expected commission";
        public const string ExpectedApprovals = "Expected approvals";
        public const string Mix = "Applicants weighed";
        public static readonly string MixDetail = $"routed in the last {WeightSuggestionService.WindowDays} days";
        public const string AlreadyBest = "Today's weights are already the best the model finds for this objective: there is nothing to change.";
        public const string Product = "Product";
        public const string TodayWeight = "Weight today";
        public const string SuggestedWeight = "Suggested";
        public const string TodayShare = "Share today";
        public const string SuggestedShare = "Suggested share";
        public const string Paused = "· paused";
        public const string WhatIfTitle = "What-if on the suggestion";
        public const string Simulating = "Replaying the window under the suggestion…";
        public const string Take = "Use this suggestion";
        public const string TakeHint = "Puts the suggested weights into the policy editor with this simulation; nothing changes until you save it with a comment.";

        public static string Objective(SuggestionObjective objective) => objective == SuggestionObjective.Commission ? "Commission" : "Approvals";

        public static string Explanation(SuggestionObjective objective, double minimumShare) =>
            (objective == SuggestionObjective.Commission
                ? "Weights for the Weighted strategy that maximise expected commission"
                : "Weights for the Weighted strategy that maximise expected approvals (borrowers served), preferring the lower APR among equals")
            + Invariant($", from the learned rates and the mix of the last {WeightSuggestionService.WindowDays} days' applicants, within every daily cap and monthly budget, ")
            + Invariant($"and with every active product keeping at least {minimumShare:P0} of the applicants it may take. A weight of 0 stays 0.");

        public static string Today(string today, double before, double after) =>
            before == 0d ? $"today {today}" : Invariant($"today {today} ({(after - before) / before:+0.0%;-0.0%;0.0%})");

        public static string LoadFailed(string message) => $"Could not work out a suggestion: {message}";

        public static string SimulationFailed(string message) => $"The what-if on the suggestion failed: {message}";
    }
}
