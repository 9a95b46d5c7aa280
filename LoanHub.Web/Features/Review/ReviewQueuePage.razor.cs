using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Review;

public partial class ReviewQueuePage
{
    internal static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    [Inject] private ReviewService Reviews { get; set; } = null!;
    [Inject] private Cluster.ClusterSignals Signals { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<ReviewStrings> L { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private ReviewQueue? queue;
    private IDisposable? signalSubscription;
    private string? error;
    private bool loading;
    private string? signal;
    private SourceId? source;
    private ClaimsPrincipal user = new();
    private string reviewer = "";
    private readonly HashSet<Guid> busy = [];
    private HashSet<ReviewQueueItem> selected = [];
    private bool bulkBusy;
    private readonly CancellationTokenSource stop = new();

    // The cascaded state changes when the session is revalidated or signed out, so each change the page makes goes
    // to the service with the principal as it is now, not as it was when the page opened.
    protected override async Task OnParametersSetAsync() => user = (await AuthenticationState).User;

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthenticationState).User;
        reviewer = user.Identity?.Name ?? "";
        await LoadAsync();
        if (!RendererInfo.IsInteractive) return;
        signalSubscription ??= Signals.Subscribe(OnSignal);
        _ = RefreshLoopAsync();
    }

    /// <summary>
    /// A claim, release, take-over or decision on any instance: the queue shows it at once. Not on every committed intake
    /// group (<c>Decisions</c>, many a second under load): new cases arrive with the half-minute refresh.
    /// </summary>
    private void OnSignal(Cluster.ClusterSignal signal)
    {
        if (signal != Cluster.ClusterSignal.Reviews) return;
        _ = InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task LoadAsync()
    {
        loading = true;
        try
        {
            queue = await Reviews.GetQueueAsync(user, new ReviewQueueFilter(signal, source), stop.Token);
            error = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e.Message;
        }
        finally
        {
            loading = false;
        }
    }

    private async Task RefreshAsync()
    {
        await LoadAsync();
        if (error is null) Snackbar.Add(L["Queue refreshed."], Severity.Normal, o => o.VisibleStateDuration = 1500);
    }

    private async Task SignalChangedAsync(string? value)
    {
        signal = value;
        await LoadAsync();
    }

    private async Task SourceChangedAsync(SourceId? value)
    {
        source = value;
        await LoadAsync();
    }

    private async Task ClearFiltersAsync()
    {
        (signal, source) = (null, null);
        await LoadAsync();
    }

    private Task ClaimAsync(ReviewQueueItem item) =>
        ActAsync(item, () => Reviews.ClaimAsync(user, item.CaseId, item.Version, stop.Token), L["You claimed the case of {0}.", item.MaskedName]);

    private Task ReleaseAsync(ReviewQueueItem item) =>
        ActAsync(item, () => Reviews.ReleaseAsync(user, item.CaseId, item.Version, stop.Token), L["You released the case of {0}.", item.MaskedName]);

    private async Task ActAsync(ReviewQueueItem item, Func<Task<ReviewActionResult>> action, string success)
    {
        busy.Add(item.CaseId);
        try
        {
            var result = await action();
            if (result.Succeeded) Snackbar.Add(success, Severity.Success);
            else Snackbar.Add(result.Message ?? L["The case could not be changed."], Severity.Warning);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        finally
        {
            busy.Remove(item.CaseId);
        }
        await LoadAsync();
    }

    [Inject] private IDialogService Dialogs { get; set; } = null!;

    /// <summary>Approves or rejects the selected cases with one note, all in one transaction, as the case page decides one.</summary>
    private async Task DecideSelectedAsync(bool approve)
    {
        var dialog = await Dialogs.ShowAsync<DecideDialog>(approve ? L["Approve"] : L["Reject"], new DialogParameters<DecideDialog>
        {
            { d => d.Approve, approve },
            { d => d.CaseLabel, L["{0} selected cases", selected.Count] },
            { d => d.RingOpenCases, 0 },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: DecisionInput input }) return;
        bulkBusy = true;
        try
        {
            var outcome = await Reviews.DecideSelectedAsync(user, [.. selected.Select(s => s.CaseId)], approve, input.Note, input.Block, stop.Token);
            if (outcome.Succeeded)
            {
                Snackbar.Add(L["{0} cases decided.", outcome.Cases.Count], Severity.Success);
                selected = [];
            }
            else
            {
                Snackbar.Add(outcome.Message is { } message ? L[message].Value : L["Nothing was decided."].Value, Severity.Error);
            }
        }
        finally
        {
            bulkBusy = false;
        }
        await LoadAsync();
    }

    internal static Color ReasonColor(string code) => code switch
    {
        FraudSignal.Ring or FraudSignal.DeviceShared or FraudSignal.PhoneShared or FraudSignal.Blocklisted => Color.Error,
        FraudSignal.IpVelocity or FraudSignal.AmountToIncome => Color.Warning,
        _ => Color.Info,
    };

    public void Dispose()
    {
        signalSubscription?.Dispose();
        stop.Cancel();
        stop.Dispose();
    }
}
