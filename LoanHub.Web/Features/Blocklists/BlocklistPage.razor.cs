using System.Security.Claims;
using LoanHub.Web.Features.Applications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Blocklists;

public partial class BlocklistPage
{
    [Inject] private BlocklistService Blocklists { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<BlocklistStrings> L { get; set; } = null!;
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
        var dialog = await Dialogs.ShowAsync<LiftDialog>(L["Lift"], new DialogParameters<LiftDialog> { { d => d.Kind, row.Kind } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: string reason }) return;
        working = true;
        try
        {
            var result = await Blocklists.LiftAsync(user, row.Id, row.Version, reason, stop.Token);
            actionMessage = result.Message is { } message ? L[message].Value : null;
            if (result.Succeeded) Snackbar.Add(L["Block lifted."], Severity.Success);
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

    private string LiftLabel(BlocklistRow row) =>
        L["Lift block on {0} by {1} of {2}", L[BlocklistText.KindLabel(row.Kind)], row.CreatedBy, ChinaTime.Format(row.CreatedAt)];

    private string LiftedBy(string? by, DateTimeOffset? at, string reason) => at is { } when
        ? L["Lifted by {0} on {1}: {2}", by ?? "", ChinaTime.Format(when), reason]
        : L["Lifted by {0}: {1}", by ?? "", reason];
}
