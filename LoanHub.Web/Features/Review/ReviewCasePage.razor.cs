using System.Security.Claims;
using LoanHub.Core.Domain;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace LoanHub.Web.Features.Review;

public partial class ReviewCasePage
{
    private static readonly TimeSpan ChinaOffset = ReviewQueuePage.ChinaOffset;

    [Parameter] public Guid CaseId { get; set; }
    [Inject] private ReviewService Reviews { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private ReviewCaseDetail? detail;
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

    protected override async Task OnParametersSetAsync()
    {
        user = (await AuthenticationState).User;
        reviewer = user.Identity?.Name ?? "";
        decided = null;
        actionMessage = null;
        await LoadAsync();
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

    private Task ClaimAsync() => ActAsync(() => Reviews.ClaimAsync(user, CaseId, detail!.Version, stop.Token), "You claimed this case.");

    private Task ReleaseAsync() => ActAsync(() => Reviews.ReleaseAsync(user, CaseId, detail!.Version, stop.Token), "You released this case.");

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
                actionMessage = result.Message;
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
        var dialog = await Dialogs.ShowAsync<DecideDialog>(approve ? "Approve" : "Reject", new DialogParameters<DecideDialog>
        {
            { d => d.Approve, approve },
            { d => d.CaseLabel, $"the case of {detail.Applicant.MaskedName}" },
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
                Snackbar.Add(outcome.Cases.Count == 1 ? "Decision recorded." : $"{outcome.Cases.Count} cases decided.", Severity.Success);
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
        ReviewStatus.Claimed when ClaimedByMe => "Claimed by you",
        ReviewStatus.Claimed => $"Claimed by {detail.ClaimedBy}",
        var status => status.ToString(),
    };

    private static Severity OutcomeSeverity(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Routed => Severity.Success,
        ApplicationStatus.Rejected => Severity.Error,
        _ => Severity.Warning,
    };

    private static string OutcomeText(DecidedCase outcome) => outcome.Status switch
    {
        ApplicationStatus.Routed => $"{outcome.MaskedName}: approved and routed to {outcome.RoutedTo}.",
        ApplicationStatus.Rejected => $"{outcome.MaskedName}: rejected.",
        ApplicationStatus.Unmatched => $"{outcome.MaskedName}: approved, but no product matched under the active policy; the applicant is unmatched.",
        var status => $"{outcome.MaskedName}: {status}.",
    };

    private string LinkedBy(ClusterNode node)
    {
        var kinds = detail!.Cluster!.Links.Where(l => l.Applications.Contains(node.ApplicationId))
            .Select(l => ReviewText.LinkLabel(l.Kind).ToLowerInvariant()).Distinct();
        return string.Join(", ", kinds);
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }
}
