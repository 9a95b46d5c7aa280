using System.Security.Claims;
using LoanHub.Web.Features.Applications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace LoanHub.Web.Features.Blocklists;

public partial class BlocklistPage
{
    [Inject] private BlocklistService Blocklists { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private BlocklistView? view;
    private string? error;
    private string? actionMessage;
    private bool showInactive;
    private bool working;
    private ClaimsPrincipal user = new();
    private readonly CancellationTokenSource stop = new();

    private bool Busy => working || !RendererInfo.IsInteractive;

    private IReadOnlyList<BlocklistRow>? Shown => view is null ? null
        : showInactive ? view.Rows : [.. view.Rows.Where(r => r.State == BlockState.Active)];

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthenticationState).User;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            view = await Blocklists.ListAsync(user, stop.Token);
            error = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e.Message;
        }
    }

    private async Task LiftAsync(BlocklistRow row)
    {
        var dialog = await Dialogs.ShowAsync<LiftDialog>(Text.Lift, new DialogParameters<LiftDialog> { { d => d.Kind, row.Kind } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: string reason }) return;
        working = true;
        try
        {
            var result = await Blocklists.LiftAsync(user, row.Id, row.Version, reason, stop.Token);
            actionMessage = result.Message;
            if (result.Succeeded) Snackbar.Add(Text.Lifted, Severity.Success);
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

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }

    private static class Text
    {
        public const string Intro = "National IDs, phones and devices that reviewers blocked when they rejected a case. A new applicant carrying an active key " +
                                    "gets the signal BLOCKLISTED. Keys are held only as keyed hashes: nobody can read them back.";
        public const string ShowInactive = "Show lifted and expired";
        public const string LoadFailed = "Could not load the blocklist:";
        public const string ActiveTile = "Active blocks";
        public const string StoppedTile = "Applicants stopped";
        public const string KindHeader = "Key";
        public const string ReasonHeader = "Why";
        public const string ByHeader = "Blocked by";
        public const string CreatedHeader = "Created";
        public const string UntilHeader = "Until";
        public const string StoppedHeader = "Stopped";
        public const string StateHeader = "State";
        public const string ActionsHeader = "Actions";
        public const string ReviewCaseLink = "Review case";
        public const string Lift = "Lift";
        public const string Lifted = "Block lifted.";
        public const string EmptyActive = "No active blocks. Reviewers add them when they reject a case.";
        public const string EmptyAll = "The blocklist is empty.";
        public const string Loading = "Loading the blocklist…";

        public static string LiftLabel(BlocklistRow row) => $"Lift block on {BlocklistText.KindLabel(row.Kind)} by {row.CreatedBy} of {ChinaTime.Format(row.CreatedAt)}";

        public static string LiftedBy(string? by, DateTimeOffset? at, string reason) =>
            $"Lifted by {by}{(at is { } when ? $" on {ChinaTime.Format(when)}" : "")}: {reason}";
    }
}
