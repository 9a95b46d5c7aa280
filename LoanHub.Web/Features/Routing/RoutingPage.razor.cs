using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Components;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Lenders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Localization;
using MudBlazor;
using LoanHub.Web.Security;

namespace LoanHub.Web.Features.Routing;

public sealed partial class RoutingPage
{
    [Inject] private RoutingService Routing { get; set; } = null!;
    [Inject] private RoutingPolicyService Policy { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private IStringLocalizer<RoutingStrings> L { get; set; } = null!;
    [Inject] private IStringLocalizer<ApplicationsStrings> A { get; set; } = null!;
    [Inject] private IStringLocalizer<LendersStrings> Catalog { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private RoutingView? view;
    private RoutingProposal? proposal;
    private string? error;
    private bool canEdit;
    private bool saving;
    /// <summary>Why the server refused the last save or restore, shown on the page until the next attempt.</summary>
    private string? saveError;

    // The Policy tab edits the policy; the Insights tab shows the rates learned from outcomes; the Suggestion tab proposes weights.
    private const int PolicyTab = 0;
    private const int InsightsTab = 1;
    private const int SuggestionTab = 2;
    private int tab;

    private static readonly int[] WindowChoices = [1, 3, 7, 14, 30];
    private int windowDays = RoutingService.DefaultWindowDays;
    private bool simulating;
    private SimulationProgress? progress;
    private PolicySimulation? simulated;
    private SimulationResult? Result => simulated?.Result;
    private string? simulatedProposal;
    private int simulatedDays;
    private string? simulationError;
    private CancellationTokenSource? simulation;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        canEdit = (await Authorization.AuthorizeAsync(user, Policies.RoutingEdit)).Succeeded;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            view = await Routing.LoadAsync();
            proposal = view.Current;
            unreadable.Clear();
            Reorder();
            error = null;
        }
        catch (Exception e)
        {
            error = L["Could not load the routing policy: {0}", e.Message];
        }
    }

    private string CurrentKey => proposal is null ? "" : Key(proposal);

    private static string Key(RoutingProposal p) =>
        $"{p.Strategy}|{string.Join(";", p.Products.Select(x => $"{x.ProductId}:{x.Weight}:{x.Priority}:{x.DailyCap}:{x.MonthlyBudget}"))}";

    /// <summary>Text typed into the grid that is not a number its field can hold, kept so the person sees and corrects it.</summary>
    private readonly Dictionary<(ProductId, PolicyField), string> unreadable = [];

    private bool IsChanged => view is not null && proposal is not null
        && (unreadable.Count > 0 || Key(view.Current) != CurrentKey);

    private bool IsValid => proposal is { IsValid: true } && unreadable.Count == 0;

    private bool IsProductChanged(ProductSetting setting) =>
        view?.Products.FirstOrDefault(p => p.ProductId == setting.ProductId) is { } original && original != setting;

    private string InvalidProposal => L["Correct the fields marked in red before simulating or saving."];

    /// <summary>Whether the simulation shown is of an earlier state of the proposal.</summary>
    private bool IsStale => simulatedProposal != CurrentKey;

    /// <summary>Why Save is not available yet; null when it is.</summary>
    private string? SaveBlockedReason =>
        !IsChanged ? L["Change a weight, cap or the strategy first."].Value
        : !IsValid ? InvalidProposal
        : IsStale ? L["Run the simulation of this proposal before saving it."].Value
        : null;

    /// <summary>
    /// The reason shown beside Save once there is something to save: a tooltip on a disabled button
    /// cannot be read on touch screens, nor by keyboard users who never reach the button.
    /// </summary>
    private string? SaveHint => IsChanged ? SaveBlockedReason : null;

    private PolicySort sort = PolicySort.ByProduct;

    /// <summary>
    /// The editor's rows in the order of the last sort, taken when a heading is pressed (and on load), so that a row does not
    /// move away while its numbers are typed.
    /// </summary>
    private IReadOnlyList<ProductId> order = [];

    private void SortBy(PolicyColumn column)
    {
        sort = sort.Toggle(column);
        Reorder();
    }

    private void Reorder()
    {
        if (view is not null && proposal is not null) order = [.. sort.Apply(proposal, view.Actual).Select(p => p.ProductId)];
    }

    private IEnumerable<ProductSetting> Rows
    {
        get
        {
            var position = order.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
            return proposal is null ? [] : proposal.Products.OrderBy(p => position.GetValueOrDefault(p.ProductId, int.MaxValue));
        }
    }

    private static string FieldWidth(PolicyField field) => field switch
    {
        PolicyField.Priority => "width:90px",
        PolicyField.MonthlyBudget => "width:130px",
        _ => "width:110px",
    };

    /// <summary>A field's problem, as <see cref="PolicyInput"/> and <see cref="ProductSetting"/> word it in English, in the reader's language.</summary>
    private string? Said(string? problem) => problem is null ? null : L[problem].Value;

    private void Set(ProductSetting before, ProductSetting after)
    {
        if (proposal is null) return;
        proposal = proposal with { Products = [.. proposal.Products.Select(p => p.ProductId == before.ProductId ? after : p)] };
    }

    private string FieldText(ProductSetting setting, PolicyField field) =>
        unreadable.TryGetValue((setting.ProductId, field), out var typed) ? typed : PolicyInput.Show(setting, field);

    private string? FieldProblem(ProductSetting setting, PolicyField field) =>
        unreadable.TryGetValue((setting.ProductId, field), out var typed)
            ? PolicyInput.Read(setting, field, typed).Problem
            : PolicyInput.Problem(setting, field);

    private void Typed(ProductSetting setting, PolicyField field, string? text)
    {
        var (updated, _) = PolicyInput.Read(setting, field, text);
        if (updated is null)
        {
            unreadable[(setting.ProductId, field)] = text ?? "";
            return;
        }
        unreadable.Remove((setting.ProductId, field));
        Set(setting, updated);
    }

    private void SlideWeight(ProductSetting setting, int weight)
    {
        unreadable.Remove((setting.ProductId, PolicyField.Weight));
        Set(setting, setting with { Weight = weight });
    }

    private void SetStrategy(RoutingStrategy strategy)
    {
        if (proposal is not null) proposal = proposal with { Strategy = strategy };
    }

    private void Reset()
    {
        if (view is not null) proposal = view.Current;
        unreadable.Clear();
    }

    private async Task DiscardAsync()
    {
        if (view is null || !IsChanged) return;
        var changes = Describe().Count;
        if (await Dialogs.ConfirmAsync(L["Discard changes"],
                changes == 1 ? L["Drop your 1 unsaved change and go back to version {0}?", view.ActiveVersion]
                    : L["Drop your {0} unsaved changes and go back to version {1}?", changes, view.ActiveVersion],
                L["Discard"], destructive: true, cancelText: L["Keep editing"]))
            Reset();
    }

    /// <summary>Links inside the console ask before leaving unsaved edits; reloads and other sites get the browser's own prompt.</summary>
    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!IsChanged) return;
        if (!await Dialogs.ConfirmAsync(L["Leave without saving?"],
                L["Your changes to the routing policy are not saved. Leave the page and drop them?"],
                L["Leave"], destructive: true, cancelText: L["Stay"]))
            context.PreventNavigation();
    }

    private async Task SimulateAsync()
    {
        if (proposal is null || !IsValid) return;
        simulation?.Dispose();
        simulation = new CancellationTokenSource();
        simulating = true;
        simulationError = null;
        progress = new SimulationProgress(RoutingService.Starting, 0, 0);
        var key = CurrentKey;
        var days = windowDays;
        var end = Clock.GetUtcNow();
        var reporter = new Progress<SimulationProgress>(p => _ = InvokeAsync(() =>
        {
            progress = p;
            StateHasChanged();
        }));
        try
        {
            simulated = await Routing.SimulateAsync(proposal, RoutingService.WindowStart(days, end), end, reporter, simulation.Token);
            simulatedProposal = key;
            simulatedDays = days;
        }
        catch (OperationCanceledException)
        {
            simulationError = L["Simulation cancelled."];
        }
        catch (Exception e)
        {
            simulationError = L["The simulation failed: {0}", e.Message];
        }
        finally
        {
            simulating = false;
        }
    }

    private void CancelSimulation() => simulation?.Cancel();

    /// <summary>
    /// Puts a weight suggestion into the editable proposal, with the what-if run on it when it is of exactly this proposal on
    /// the version still active; the operator saves it like any other change.
    /// </summary>
    private async Task TakeSuggestionAsync(TakenSuggestion taken)
    {
        if (view is null) return;
        if (IsChanged && !await Dialogs.ConfirmAsync(L["Replace your changes?"],
                L["The suggestion replaces the unsaved changes in the policy editor. Use it anyway?"], L["Use the suggestion"], destructive: true,
                cancelText: L["Keep my changes"]))
            return;
        proposal = taken.Suggestion.Weights.Aggregate(view.Current, (p, w) => p.WithWeight(w.ProductId, w.Suggested));
        unreadable.Clear();
        simulation?.Cancel();
        if (taken.Simulation is { } run && run.Receipt.Fingerprint == proposal.Fingerprint && run.Receipt.BaseVersion == view.ActiveVersion)
        {
            simulated = run;
            simulatedProposal = CurrentKey;
            simulatedDays = windowDays = WeightSuggestionService.WindowDays;
        }
        tab = PolicyTab;
        Snackbar.Add(L["The suggested weights are in the policy below: review them, then save with a comment."], Severity.Info);
    }

    private async Task SaveAsync()
    {
        if (proposal is null || view is null || SaveBlockedReason is not null) return;
        var dialog = await Dialogs.ShowAsync<SavePolicyDialog>(L["Save routing policy"],
            new DialogParameters<SavePolicyDialog> { { d => d.NextVersion, view.ActiveVersion + 1 }, { d => d.Changes, Describe() } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var answer = await dialog.Result;
        if (answer is not { Canceled: false, Data: string comment }) return;

        saving = true;
        // The server checks again what the page checked: the simulation is of exactly this proposal, on the version still active.
        var saved = await Policy.SaveAsync(proposal, simulated, comment, (await AuthenticationState).User);
        saving = false;
        await SavedAsync(saved);
    }

    private async Task SavedAsync(SaveResult saved)
    {
        var message = L.Said(saved);
        saveError = saved.Succeeded ? null : message;
        Snackbar.Add(message, saved.Succeeded ? Severity.Success : Severity.Error);
        if (!saved.Succeeded) return;
        await LoadAsync();
        simulated = null;
        simulatedProposal = null;
    }

    private IReadOnlyList<string> Describe() => view is null || proposal is null ? [] : Worded(proposal.ChangesFrom(view.Current));

    private List<string> Worded(IEnumerable<PolicyChange> changes) => [.. changes.Select(c => L.Change(A, c))];

    private async Task RestoreAsync(int version)
    {
        if (view is null) return;
        var plan = await Policy.PlanRestoreAsync(version);
        if (plan is null)
        {
            saveError = L[RoutingPolicyService.VersionMissing, version];
            return;
        }
        var dialog = await Dialogs.ShowAsync<SavePolicyDialog>(L["Restore version {0}", version],
            new DialogParameters<SavePolicyDialog>
            {
                { d => d.NextVersion, plan.BaseVersion + 1 }, { d => d.RestoringVersion, version },
                { d => d.Changes, IsChanged ? [.. Worded(plan.Changes), L["Your unsaved changes on this page are dropped"]] : Worded(plan.Changes) },
                { d => d.KeepCurrent, plan.KeepCurrent },
            },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: string comment }) return;
        saving = true;
        var restored = await Policy.RestoreAsync(version, comment, (await AuthenticationState).User, plan.BaseVersion);
        saving = false;
        await SavedAsync(restored);
    }

    public void Dispose()
    {
        simulation?.Cancel();
        simulation?.Dispose();
    }
}
