using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using LoanHub.Web.Features.Applications;
using MudBlazor;

namespace LoanHub.Web.Features.Review;

public partial class ReviewCasePage
{
    [Parameter] public Guid CaseId { get; set; }
    [Inject] private ReviewService Reviews { get; set; } = null!;
    [Inject] private Cluster.ClusterSignals Signals { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private Microsoft.JSInterop.IJSRuntime JS { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private IStringLocalizer<ReviewStrings> L { get; set; } = default!;
    /// <summary>The applicant's coded facts (status, employment, purpose, province), worded as the applications pages word them.</summary>
    [Inject] private IStringLocalizer<ApplicationsStrings> A { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private ReviewCaseDetail? detail;
    private IDisposable? signalSubscription;
    private IReadOnlyList<DecidedCase>? decided;
    private string? error;
    private string? actionMessage;
    private bool notFound;
    private bool working;
    private bool deciding;
    private DateTimeOffset now;
    private ClaimsPrincipal user = new();
    private string reviewer = "";
    private readonly CancellationTokenSource stop = new();

    private bool Busy => working || deciding || !RendererInfo.IsInteractive;
    private bool ClaimedByMe => detail is { Status: ReviewStatus.Claimed } && detail.ClaimedBy == reviewer;
    private bool IsAdmin => user.IsInRole(LoanHub.Web.Security.Roles.Admin);
    private bool CanTakeOver => detail is { Status: ReviewStatus.Claimed } && !ClaimedByMe && IsAdmin;

    /// <summary>Whom an admin can give the case to; empty for everyone else.</summary>
    private IReadOnlyList<string> reviewers = [];

    protected override void OnInitialized()
    {
        if (RendererInfo.IsInteractive) signalSubscription ??= Signals.Subscribe(OnSignal);
    }

    /// <summary>The keys a reviewer can decide with (shown beside the buttons): claim, approve, reject, next case.</summary>
    internal static readonly string[] Shortcuts = ["c", "a", "r", "n"];

    private Microsoft.JSInterop.DotNetObjectReference<ReviewCasePage>? self;
    private Microsoft.JSInterop.IJSObjectReference? shortcuts;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        self = Microsoft.JSInterop.DotNetObjectReference.Create(this);
        try
        {
            shortcuts = await JS.InvokeAsync<IJSObjectReference>("loanhub.shortcuts", [self, Shortcuts]);
        }
        catch (Exception e) when (e is Microsoft.JSInterop.JSException or Microsoft.JSInterop.JSDisconnectedException or InvalidOperationException)
        {
            // Without the script the buttons still work.
        }
    }

    /// <summary>A shortcut pressed: the same as its button, and only when its button could be pressed.</summary>
    [Microsoft.JSInterop.JSInvokable]
    public Task OnShortcut(string key) => InvokeAsync(key switch
    {
        "c" when detail is { Status: ReviewStatus.Open } && !Busy => ClaimAsync,
        "a" when detail is { IsOpen: true } && ClaimedByMe && !Busy => () => DecideAsync(true),
        "r" when detail is { IsOpen: true } && ClaimedByMe && !Busy => () => DecideAsync(false),
        "n" when detail is not null && (!detail.IsOpen || decided is not null) && !Busy => NextCaseAsync,
        _ => () => Task.CompletedTask,
    });

    /// <summary>Someone else claimed, released, took over or decided a case: this one is read again at once.</summary>
    private void OnSignal(Cluster.ClusterSignal signal)
    {
        if (signal != Cluster.ClusterSignal.Reviews || working || deciding) return;
        _ = InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
    }

    protected override async Task OnParametersSetAsync()
    {
        user = (await AuthenticationState).User;
        reviewer = user.Identity?.Name ?? "";
        decided = null;
        actionMessage = null;
        await LoadAsync();
        if (IsAdmin && reviewers.Count == 0) reviewers = await Reviews.ReviewersAsync(user, stop.Token);
    }

    private async Task LoadAsync()
    {
        try
        {
            now = Clock.GetUtcNow();
            detail = await Reviews.GetCaseAsync(user, CaseId, stop.Token);
            notFound = detail is null;
            error = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e.Message;
        }
    }

    private Task ClaimAsync() => ActAsync(() => Reviews.ClaimAsync(user, CaseId, detail!.Version, stop.Token), L["You claimed this case."]);

    private Task ReassignAsync(string reviewer) =>
        ActAsync(() => Reviews.ReassignAsync(user, CaseId, detail!.Version, reviewer, stop.Token), L["You gave this case to {0}.", reviewer]);

    private Task TakeOverAsync() => ActAsync(() => Reviews.TakeOverAsync(user, CaseId, detail!.Version, stop.Token), L["You took over this case."]);

    /// <summary>The oldest case still waiting that nobody else holds, after this one: a reviewer goes from decision to decision.</summary>
    private async Task NextCaseAsync()
    {
        var next = await Reviews.NextCaseAsync(user, CaseId, stop.Token);
        if (next is { } id) Navigation.NavigateTo($"review/{id}");
        else Snackbar.Add(L["No other case is waiting."], Severity.Info);
    }

    private Task ReleaseAsync() => ActAsync(() => Reviews.ReleaseAsync(user, CaseId, detail!.Version, stop.Token), L["You released this case."]);

    private async Task ActAsync(Func<Task<ReviewActionResult>> action, string success)
    {
        working = true;
        try
        {
            var result = await action();
            if (result.Succeeded)
            {
                actionMessage = null;
                Snackbar.Add(success, Severity.Success);
            }
            else
            {
                actionMessage = result.Message is { } message ? L[message].Value : null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            actionMessage = e.Message;
        }
        finally
        {
            working = false;
        }
        await LoadAsync();
    }

    private async Task DecideAsync(bool approve)
    {
        if (detail is null) return;
        var ringOpen = detail.Cluster?.OpenCases.Count ?? 0;
        var dialog = await Dialogs.ShowAsync<DecideDialog>(approve ? L["Approve"] : L["Reject"], new DialogParameters<DecideDialog>
        {
            { d => d.Approve, approve },
            { d => d.CaseLabel, L["the case of {0}", detail.Applicant.MaskedName] },
            { d => d.RingOpenCases, ringOpen },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: DecisionInput input }) return;

        deciding = true;
        StateHasChanged();
        try
        {
            var outcome = await Reviews.DecideAsync(user, CaseId, approve, input.Note, input.WholeRing, input.Block, stop.Token);
            if (outcome.Succeeded)
            {
                actionMessage = null;
                Snackbar.Add(outcome.Cases.Count == 1 ? L["Decision recorded."] : L["{0} cases decided.", outcome.Cases.Count], Severity.Success);
            }
            else
            {
                actionMessage = outcome.Message;
            }
            await LoadAsync();
            decided = outcome.Succeeded ? outcome.Cases : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            actionMessage = e.Message;
        }
        finally
        {
            deciding = false;
        }
    }

    private Color StatusColor => detail!.Status switch
    {
        ReviewStatus.Approved => Color.Success,
        ReviewStatus.Rejected => Color.Error,
        ReviewStatus.Claimed => Color.Warning,
        _ => Color.Default,
    };

    private string StatusText => detail!.Status switch
    {
        ReviewStatus.Claimed when ClaimedByMe => L["Claimed by you"],
        ReviewStatus.Claimed => L["Claimed by {0}", detail.ClaimedBy!],
        var status => ReviewText.Status(L, status),
    };

    /// <summary>Where the review of a ring member stands: "claimed by you", "Unclaimed", "–" when it has none.</summary>
    private string CaseStatusText(ClusterNode node) => node.CaseStatus switch
    {
        null => "–",
        ReviewStatus.Claimed when node.ClaimedBy == reviewer => L["Claimed by you"],
        ReviewStatus.Claimed => L["Claimed by {0}", node.ClaimedBy!],
        { } status => ReviewText.Status(L, status),
    };

    private static Severity OutcomeSeverity(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Routed => Severity.Success,
        ApplicationStatus.Rejected => Severity.Error,
        _ => Severity.Warning,
    };

    private string OutcomeText(DecidedCase outcome) => outcome.Status switch
    {
        ApplicationStatus.Routed => L["{0}: approved and routed to {1}.", outcome.MaskedName, outcome.RoutedTo!],
        ApplicationStatus.Rejected => L["{0}: rejected.", outcome.MaskedName],
        ApplicationStatus.Unmatched => L["{0}: approved, but no product matched under the active policy; the applicant is unmatched.", outcome.MaskedName],
        var status => L["{0}: {1}.", outcome.MaskedName, A.Status(status)],
    };

    private string ClaimNotice => detail!.ClaimedAt is { } at
        ? L["Claimed by {0} at {1}. Only they can decide it.", detail.ClaimedBy!, ChinaTime.Format(at)]
        : L["Claimed by {0}. Only they can decide it.", detail.ClaimedBy!];

    private string DecisionNotice => detail!.DecidedAt is { } at
        ? L["{0} by {1} on {2}: “{3}”.", ReviewText.Status(L, detail.Status), detail.DecidedBy!, ChinaTime.Format(at), detail.Note!]
        : L["{0} by {1}: “{2}”.", ReviewText.Status(L, detail.Status), detail.DecidedBy!, detail.Note!];

    private static async Task DisposeShortcutsAsync(Microsoft.JSInterop.IJSObjectReference handle)
    {
        try
        {
            await handle.InvokeVoidAsync("dispose");
            await handle.DisposeAsync();
        }
        catch (Exception e) when (e is Microsoft.JSInterop.JSException or Microsoft.JSInterop.JSDisconnectedException)
        {
            // The circuit is gone, and the page's listener with it.
        }
    }

    private string LinkedBy(ClusterNode node)
    {
        var kinds = detail!.Cluster!.Links.Where(l => l.Applications.Contains(node.ApplicationId))
            .Select(l => L.LinkLabel(l.Kind).ToLowerInvariant()).Distinct();
        return string.Join(L[", "], kinds);
    }

    public void Dispose()
    {
        signalSubscription?.Dispose();
        if (shortcuts is not null) _ = DisposeShortcutsAsync(shortcuts);
        self?.Dispose();
        stop.Cancel();
        stop.Dispose();
    }
}
