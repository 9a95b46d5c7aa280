using System.Globalization;
using LoanHub.Core.Engine;
using LoanHub.Web.Components;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace LoanHub.Web.Features.Risk;

public sealed partial class RiskPolicyPage
{
    [Inject] private RiskPolicyService Risk { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private static readonly int[] WindowChoices = [7, 14, 30, 60, 90];

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
            error = Text.LoadFailed(e.Message);
        }
    }

    private RiskPolicy? Proposal => form?.ToPolicy();

    private string CurrentKey => Proposal?.Fingerprint ?? "";

    private bool IsChanged => view is not null && Proposal is { } proposal && proposal != view.Active;

    /// <summary>Why Save is not available yet; null when it is.</summary>
    private string? SaveBlockedReason =>
        !IsChanged ? Text.ChangeFirst
        : form is not { IsValid: true } ? Text.Invalid
        : backtestedKey != CurrentKey ? Text.BacktestFirst
        : null;

    /// <summary>Shown beside Save once there is something to save: a disabled button's tooltip cannot be read on touch screens.</summary>
    private string? SaveHint => IsChanged ? SaveBlockedReason : null;

    private async Task DiscardAsync()
    {
        if (view is null || !IsChanged) return;
        if (await Dialogs.ConfirmAsync(Text.Discard, Text.DiscardQuestion(view.ActiveVersion), Text.Discard, destructive: true, cancelText: Text.KeepEditing))
            form = RiskPolicyForm.Of(view.Active);
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!IsChanged) return;
        if (!await Dialogs.ConfirmAsync(Text.LeaveTitle, Text.LeaveQuestion, Text.Leave, destructive: true, cancelText: Text.Stay))
            context.PreventNavigation();
    }

    private async Task BacktestAsync()
    {
        if (Proposal is not { } proposal || form is not { IsValid: true }) return;
        cancel?.Dispose();
        cancel = new CancellationTokenSource();
        running = true;
        backtestError = null;
        progress = new BacktestProgress(Text.Starting, 0);
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
            backtestError = Text.Cancelled;
        }
        catch (Exception e)
        {
            backtestError = Text.BacktestFailed(e.Message);
        }
        finally
        {
            running = false;
        }
    }

    private void CancelBacktest() => cancel?.Cancel();

    private async Task SaveAsync()
    {
        if (Proposal is not { } proposal || view is null || SaveBlockedReason is not null) return;
        var dialog = await Dialogs.ShowAsync<SaveRiskPolicyDialog>(Text.SaveTitle, new DialogParameters<SaveRiskPolicyDialog>
        {
            { d => d.NextVersion, view.ActiveVersion + 1 }, { d => d.Changes, proposal.ChangesFrom(view.Active) },
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
        var changes = version.Policy.ChangesFrom(view.Active);
        var dialog = await Dialogs.ShowAsync<SaveRiskPolicyDialog>(Text.RestoreTitle(version.Version), new DialogParameters<SaveRiskPolicyDialog>
        {
            { d => d.NextVersion, view.ActiveVersion + 1 }, { d => d.RestoringVersion, version.Version },
            { d => d.Changes, IsChanged ? [.. changes, Text.UnsavedDropped] : changes },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: string comment }) return;
        saving = true;
        var restored = await Risk.RestoreAsync(version.Version, comment, (await AuthenticationState).User, view.ActiveVersion);
        saving = false;
        await SavedAsync(restored);
    }

    private async Task SavedAsync(SaveResult saved)
    {
        saveError = saved.Succeeded ? null : saved.Message;
        Snackbar.Add(saved.Message, saved.Succeeded ? Severity.Success : Severity.Error);
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

    /// <summary>Every text the page shows, in one place.</summary>
    private static class Text
    {
        public const string Title = "Risk policy";
        public const string Save = "Save as new version";
        public const string Discard = "Discard changes";
        public const string KeepEditing = "Keep editing";
        public const string ReadOnly = "You can read the risk policy and run backtests; changing it needs the admin role.";
        public const string Thresholds = "Thresholds";
        public const string ThresholdsHelp = "Every applicant is decided by the active version: reject, hold for review or route. A saved version applies to the next applicant.";
        public const string ScoreBands = "Score and tier";
        public const string RejectBelow = "Reject below score";
        public const string RejectBelowHelp = "Scores below this are rejected";
        public const string ReviewBelow = "Review below score";
        public const string ReviewBelowHelp = "From \"reject below\" up to this, held for review";
        public const string RejectFromTier = "Reject from tier";
        public const string RejectFromTierHelp = "This tier and worse are rejected";
        public const string Links = "Shared identities";
        public const string DeviceShared = "Shared device: national IDs";
        public static string DeviceSharedHelp(TimeSpan window) => $"This many IDs on one device within {Days(window)} → review";
        public const string PhoneShared = "Shared phone: national IDs";
        public const string PhoneSharedHelp = "This many IDs with one phone number → review";
        public const string Ring = "Ring: national IDs";
        public const string RingHelp = "A linked group of this many IDs is a ring → review";
        public const string Volume = "Velocity and amounts";
        public const string IpVelocity = "IP velocity: applications";
        public static string IpVelocityHelp(TimeSpan window) => $"This many from one IP within {Days(window)} → review";
        public const string Lookback = "Duplicate look-back (days)";
        public const string LookbackHelp = "The same ID routed within this many days → duplicate (1–180)";
        public const string AmountToIncome = "Amount to monthly income";
        public const string AmountToIncomeHelp = "An amount above this many months of income → review";
        public const string BlocklistedToReview = "Blocklisted applicants go to review (off: rejected)";
        public const string Backtest = "Backtest";
        public const string Window = "Replay window";
        public const string RunBacktest = "Run backtest";
        public const string Cancel = "Cancel";
        public const string Starting = "Starting";
        public const string Cancelled = "Backtest cancelled.";
        public const string BacktestHelp =
            "Replays the stored applicants of the window under these thresholds and counts how many would move between routed, review and rejected. "
            + "Score changes re-decide from each stored score; changed fraud thresholds replay the stored keyed hashes in arrival order, as intake checks them.";
        public const string Invalid = "Correct the fields marked in red before backtesting or saving.";
        public const string ChangeFirst = "Change a threshold first";
        public const string BacktestFirst = "Run the backtest of these thresholds (below) before saving them.";
        public const string Versions = "Versions";
        public const string NoVersions = "No risk policy version has been saved yet: the configured thresholds decide.";
        public const string NoBacktest = "none (initial thresholds)";
        public const string Restore = "Restore";
        public const string SaveTitle = "Save risk policy";
        public const string UnsavedDropped = "Your unsaved changes on this page are dropped";
        public const string LeaveTitle = "Leave without saving?";
        public const string LeaveQuestion = "Your changes to the risk policy are not saved. Leave the page and drop them?";
        public const string Leave = "Leave";
        public const string Stay = "Stay";
        public static string RestoreTitle(int version) => $"Restore version {version}";
        public static string DiscardQuestion(int version) => $"Drop your unsaved changes and go back to version {version}?";
        public static string LoadFailed(string message) => $"Could not load the risk policy: {message}";
        public static string BacktestFailed(string message) => $"The backtest failed: {message}";

        public static string Summary(RiskPolicy p) => string.Create(CultureInfo.InvariantCulture,
            $"reject < {p.Decision.RejectBelowScore}, review < {p.Decision.ReviewBelowScore}, reject tier ≥ {p.Decision.RejectFromTier}; device {p.Fraud.DeviceSharedMinIdentities}, phone {p.Fraud.PhoneSharedMinIdentities}, IP {p.Fraud.IpVelocityMinApplications}, ring {p.Fraud.RingMinIdentities}, look-back {p.Fraud.DuplicateLookback.TotalDays:0.#} d, amount {p.Fraud.MaxAmountToMonthlyIncome:0.##}× income, blocklisted → {(p.Fraud.BlocklistedToReview ? "review" : "reject")}");

        private static string Days(TimeSpan window) => window.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalDays:0.#} day{(window.TotalDays == 1 ? "" : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours:0.#} hour{(window.TotalHours == 1 ? "" : "s")}");
    }
}
