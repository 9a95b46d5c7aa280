using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Components;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using LoanHub.Web.Security;

namespace LoanHub.Web.Features.Routing;

public sealed partial class RoutingPage
{
    [Inject] private RoutingService Routing { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private RoutingView? view;
    private RoutingProposal? proposal;
    private string? error;
    private bool canEdit;
    private bool saving;

    // The Policy tab edits the policy; the Insights tab shows the rates learned from outcomes.
    private const int InsightsTab = 1;
    private int tab;

    private int windowDays = 7;
    private bool simulating;
    private SimulationProgress? progress;
    private SimulationResult? result;
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
            proposal = new RoutingProposal(view.Strategy, view.Products);
            unreadable.Clear();
            error = null;
        }
        catch (Exception e)
        {
            error = $"Could not load the routing policy: {e.Message}";
        }
    }

    private string CurrentKey => proposal is null ? "" : Key(proposal);

    private static string Key(RoutingProposal p) =>
        $"{p.Strategy}|{string.Join(";", p.Products.Select(x => $"{x.ProductId}:{x.Weight}:{x.Priority}:{x.DailyCap}:{x.MonthlyBudget}"))}";

    /// <summary>Text typed into the grid that is not a number its field can hold, kept so the person sees and corrects it.</summary>
    private readonly Dictionary<(ProductId, PolicyField), string> unreadable = [];

    private bool IsChanged => view is not null && proposal is not null
        && (unreadable.Count > 0 || Key(new RoutingProposal(view.Strategy, view.Products)) != CurrentKey);

    private bool IsValid => proposal is { IsValid: true } && unreadable.Count == 0;

    private bool IsProductChanged(ProductSetting setting) =>
        view?.Products.FirstOrDefault(p => p.ProductId == setting.ProductId) is { } original && original != setting;

    private const string InvalidProposal = "Correct the fields marked in red before simulating or saving.";

    /// <summary>Why Save is not available yet; null when it is.</summary>
    private string? SaveBlockedReason =>
        !IsChanged ? "Change a weight, cap or the strategy first"
        : !IsValid ? InvalidProposal
        : simulatedProposal != CurrentKey ? "Run the simulation of this proposal (below) before saving it."
        : null;

    /// <summary>
    /// The reason shown beside Save once there is something to save: a tooltip on a disabled button
    /// cannot be read on touch screens, nor by keyboard users who never reach the button.
    /// </summary>
    private string? SaveHint => IsChanged ? SaveBlockedReason : null;

    private static int SliderMax(ProductSetting setting) => Math.Max(100, (setting.Weight + 99) / 100 * 100);

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

    private static string StrategyHelp(RoutingStrategy strategy) => strategy switch
    {
        RoutingStrategy.Weighted => "Split by weight (smooth round-robin)",
        RoutingStrategy.Priority => "Waterfall by priority, ties by weight",
        RoutingStrategy.Auction => "Ping-post: every lender bids at pre-check, highest price first (the what-if ranks by expected commission)",
        _ => "Highest expected commission × weight",
    };

    private void Reset()
    {
        if (view is not null) proposal = new RoutingProposal(view.Strategy, view.Products);
        unreadable.Clear();
    }

    private async Task DiscardAsync()
    {
        if (view is null || !IsChanged) return;
        var changes = Describe().Count;
        if (await Dialogs.ConfirmAsync("Discard changes",
                $"Drop your {changes} unsaved change{(changes == 1 ? "" : "s")} and go back to version {view.ActiveVersion}?",
                "Discard", destructive: true, cancelText: "Keep editing"))
            Reset();
    }

    /// <summary>Links inside the console ask before leaving unsaved edits; reloads and other sites get the browser's own prompt.</summary>
    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!IsChanged) return;
        if (!await Dialogs.ConfirmAsync("Leave without saving?",
                "Your changes to the routing policy are not saved. Leave the page and drop them?",
                "Leave", destructive: true, cancelText: "Stay"))
            context.PreventNavigation();
    }

    private async Task SimulateAsync()
    {
        if (proposal is null || !IsValid) return;
        simulation?.Dispose();
        simulation = new CancellationTokenSource();
        simulating = true;
        simulationError = null;
        progress = new SimulationProgress("Starting", 0, 0);
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
            // "Last N days" are N business days (China Standard Time) up to now, today included, as on the dashboard;
            // N × 24 hours back from now would touch N + 1 calendar days and report caps "on 31 days" of 30.
            var start = new DateTimeOffset(BusinessDay.Of(end).AddDays(1 - days).ToDateTime(TimeOnly.MinValue), BusinessDay.ChinaStandardTime);
            result = await Routing.SimulateAsync(proposal, start, end, reporter, simulation.Token);
            simulatedProposal = key;
            simulatedDays = days;
        }
        catch (OperationCanceledException)
        {
            simulationError = "Simulation cancelled.";
        }
        catch (Exception e)
        {
            simulationError = $"The simulation failed: {e.Message}";
        }
        finally
        {
            simulating = false;
        }
    }

    private void CancelSimulation() => simulation?.Cancel();

    private async Task SaveAsync()
    {
        if (proposal is null || view is null || SaveBlockedReason is not null) return;
        var dialog = await Dialogs.ShowAsync<SavePolicyDialog>("Save routing policy",
            new DialogParameters<SavePolicyDialog> { { d => d.NextVersion, view.ActiveVersion + 1 }, { d => d.Changes, Describe() } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var answer = await dialog.Result;
        if (answer is not { Canceled: false, Data: string comment }) return;

        saving = true;
        var saved = await Routing.SaveAsync(proposal, comment, (await AuthenticationState).User, view.ActiveVersion);
        saving = false;
        Snackbar.Add(saved.Message, saved.Succeeded ? Severity.Success : Severity.Error);
        if (saved.Succeeded)
        {
            await LoadAsync();
            result = null;
            simulatedProposal = null;
        }
    }

    private IReadOnlyList<string> Describe()
    {
        if (view is null || proposal is null) return [];
        var changes = new List<string>();
        if (view.Strategy != proposal.Strategy) changes.Add($"Strategy {view.Strategy} → {proposal.Strategy}");
        foreach (var p in proposal.Products)
        {
            var o = view.Products.First(x => x.ProductId == p.ProductId);
            if (o.Weight != p.Weight) changes.Add($"{p.ProductCode}: weight {o.Weight} → {p.Weight}");
            if (o.Priority != p.Priority) changes.Add($"{p.ProductCode}: priority {o.Priority} → {p.Priority}");
            if (o.DailyCap != p.DailyCap) changes.Add($"{p.ProductCode}: daily cap {o.DailyCap?.ToString() ?? "none"} → {p.DailyCap?.ToString() ?? "none"}");
            if (o.MonthlyBudget != p.MonthlyBudget) changes.Add($"{p.ProductCode}: monthly budget {o.MonthlyBudget?.ToString("N2") ?? "none"} → {p.MonthlyBudget?.ToString("N2") ?? "none"}");
        }
        return changes;
    }

    private async Task RestoreAsync(int version)
    {
        if (view is null) return;
        if (!await Dialogs.ConfirmAsync("Restore version",
                $"Make version {version} current again? It is saved as version {view.ActiveVersion + 1}; history is kept."
                + (IsChanged ? " Your unsaved changes are dropped." : ""),
                "Restore"))
            return;
        var restored = await Routing.RestoreAsync(version, (await AuthenticationState).User, view.ActiveVersion);
        Snackbar.Add(restored.Message, restored.Succeeded ? Severity.Success : Severity.Error);
        if (restored.Succeeded) await LoadAsync();
    }

    public void Dispose()
    {
        simulation?.Cancel();
        simulation?.Dispose();
    }
}
