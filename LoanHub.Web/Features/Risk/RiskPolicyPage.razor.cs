using LoanHub.Core.Engine;
using LoanHub.Web.Components;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Risk;

public sealed partial class RiskPolicyPage
{
    [Inject] private RiskPolicyService Risk { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<RiskStrings> L { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private static readonly int[] WindowChoices = [7, 14, 30, 60, 90];
    /// <summary>The stage shown until the service reports its first, a key of <see cref="RiskStrings"/> like the service's.</summary>
    private const string StartingStage = "Starting";

    private RiskPolicyView? view;
    private RiskPolicyForm? form;
    private string? error;
    private bool canEdit;
    private bool saving;
    private string? saveError;

    private int windowDays = RiskPolicyService.DefaultWindowDays;
    private bool running;
    private BacktestProgress? progress;
    private RiskBacktestRun? backtest;
    private string? backtestedKey;
    private string? backtestError;
    private CancellationTokenSource? cancel;

    protected override async Task OnInitializedAsync()
    {
        canEdit = (await Authorization.AuthorizeAsync((await AuthenticationState).User, Policies.RiskEdit)).Succeeded;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            view = await Risk.LoadAsync();
            form = RiskPolicyForm.Of(view.Active);
            error = null;
        }
        catch (Exception e)
        {
            error = L["Could not load the risk policy: {0}", e.Message];
        }
    }

    private RiskPolicy? Proposal => form?.ToPolicy();

    private string CurrentKey => Proposal?.Fingerprint ?? "";

    private bool IsChanged => view is not null && Proposal is { } proposal && proposal != view.Active;

    /// <summary>Why Save is not available yet; null when it is.</summary>
    private string? SaveBlockedReason =>
        !IsChanged ? L["Change a threshold first"].Value
        : form is not { IsValid: true } ? L["Correct the fields marked in red before backtesting or saving."].Value
        : backtestedKey != CurrentKey ? L["Run the backtest of these thresholds (below) before saving them."].Value
        : null;

    /// <summary>Shown beside Save once there is something to save: a disabled button's tooltip cannot be read on touch screens.</summary>
    private string? SaveHint => IsChanged ? SaveBlockedReason : null;

    private async Task DiscardAsync()
    {
        if (view is null || !IsChanged) return;
        if (await Dialogs.ConfirmAsync(L["Discard changes"], L["Drop your unsaved changes and go back to version {0}?", view.ActiveVersion], L["Discard changes"],
                destructive: true, cancelText: L["Keep editing"]))
            form = RiskPolicyForm.Of(view.Active);
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!IsChanged) return;
        if (!await Dialogs.ConfirmAsync(L["Leave without saving?"], L["Your changes to the risk policy are not saved. Leave the page and drop them?"], L["Leave"],
                destructive: true, cancelText: L["Stay"]))
            context.PreventNavigation();
    }

    private async Task BacktestAsync()
    {
        if (Proposal is not { } proposal || form is not { IsValid: true }) return;
        cancel?.Dispose();
        cancel = new CancellationTokenSource();
        running = true;
        backtestError = null;
        progress = new BacktestProgress(StartingStage, 0);
        var reporter = new Progress<BacktestProgress>(p => _ = InvokeAsync(() =>
        {
            progress = p;
            StateHasChanged();
        }));
        try
        {
            backtest = await Risk.BacktestAsync(proposal, windowDays, reporter, cancel.Token);
            backtestedKey = proposal.Fingerprint;
        }
        catch (OperationCanceledException)
        {
            backtestError = L["Backtest cancelled."];
        }
        catch (Exception e)
        {
            backtestError = L["The backtest failed: {0}", e.Message];
        }
        finally
        {
            running = false;
        }
    }

    private void CancelBacktest() => cancel?.Cancel();

    /// <summary>What saving <paramref name="proposal"/> over <paramref name="active"/> changes, a line a threshold, in the reader's language.</summary>
    private List<string> Changes(RiskPolicy proposal, RiskPolicy active) => [.. proposal.Differences(active).Select(L.Change)];

    private async Task SaveAsync()
    {
        if (Proposal is not { } proposal || view is null || SaveBlockedReason is not null) return;
        var dialog = await Dialogs.ShowAsync<SaveRiskPolicyDialog>(L["Save risk policy"], new DialogParameters<SaveRiskPolicyDialog>
        {
            { d => d.NextVersion, view.ActiveVersion + 1 }, { d => d.Changes, Changes(proposal, view.Active) },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: string comment }) return;
        saving = true;
        // The server checks again what the page checked: the backtest is of exactly these thresholds, on the version still active.
        var saved = await Risk.SaveAsync(proposal, backtest, comment, (await AuthenticationState).User);
        saving = false;
        await SavedAsync(saved);
    }

    private async Task RestoreAsync(RiskVersionRow version)
    {
        if (view is null) return;
        var changes = Changes(version.Policy, view.Active);
        var dialog = await Dialogs.ShowAsync<SaveRiskPolicyDialog>(L["Restore version {0}", version.Version], new DialogParameters<SaveRiskPolicyDialog>
        {
            { d => d.NextVersion, view.ActiveVersion + 1 }, { d => d.RestoringVersion, version.Version },
            { d => d.Changes, IsChanged ? [.. changes, L["Your unsaved changes on this page are dropped"]] : changes },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: string comment }) return;
        saving = true;
        var restored = await Risk.RestoreAsync(version.Version, comment, (await AuthenticationState).User, view.ActiveVersion);
        saving = false;
        await SavedAsync(restored);
    }

    private async Task SavedAsync(SaveResult saved)
    {
        var message = L.Said(saved);
        saveError = saved.Succeeded ? null : message;
        Snackbar.Add(message, saved.Succeeded ? Severity.Success : Severity.Error);
        if (!saved.Succeeded) return;
        await LoadAsync();
        backtest = null;
        backtestedKey = null;
    }

    public void Dispose()
    {
        cancel?.Cancel();
        cancel?.Dispose();
    }
}
