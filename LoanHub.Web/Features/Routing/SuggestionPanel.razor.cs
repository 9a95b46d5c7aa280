using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Learning;
using Microsoft.AspNetCore.Components;
using System.Globalization;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.AspNetCore.Components.Authorization;

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
    [Inject] private IStringLocalizer<ApplicationsStrings> A { get; set; } = null!;
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
        RoutingText.Share(proposal?.Products.FirstOrDefault(p => p.ProductId == product) is { } setting ? proposal.ShareOf(setting) : null);

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
            error = L["Could not work out a suggestion: {0}", e.Message];
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
            simulationError = L["The what-if on the suggestion failed: {0}", e.Message];
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

    /// <summary>Why there is no suggestion, in the reader's language; a strategy among its values as words.</summary>
    private string Unavailable(SuggestionOutcome none) =>
        L[none.Reason ?? "", [.. none.Arguments.Select(a => a is RoutingStrategy strategy ? A.Strategy(strategy) : a)]];

    private string ProgressText => progress is { Total: > 0 } p
        ? $"{L.Stage(p)} {L["{0} of {1}", p.Done.ToString("N0"), p.Total.ToString("N0")]}"
        : L["Replaying the window under the suggestion…"];

    private string Objective(SuggestionObjective value) => value == SuggestionObjective.Commission ? L["Commission"] : L["Approvals"];

    private string Explanation =>
        (objective == SuggestionObjective.Commission
            ? L["Weights for the Weighted strategy that maximise expected commission"]
            : L["Weights for the Weighted strategy that maximise expected approvals (borrowers served), preferring the lower APR among equals"])
        + L[", from the learned rates and the mix of the last {0} days' applicants, within every daily cap and monthly budget, and with every active product keeping at least {1} of the applicants it may take. A weight of 0 stays 0.",
            WeightSuggestionService.WindowDays, ConsoleFormat.Percent(MinimumShare, 0)];

    private string Today(string today, double before, double after) =>
        before == 0d ? L["today {0}", today] : L["today {0} ({1})", today, ((after - before) / before).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture)];
}
