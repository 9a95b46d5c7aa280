using System.Security.Claims;
using LoanHub.Web.Features.Lenders;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace LoanHub.Web.Features.Sources;

public partial class SourcesPage
{
    private static readonly DialogOptions SmallDialog = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;
    [Inject] private SourceService Service { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    private ClaimsPrincipal user = new();
    private IReadOnlyList<SourceRow>? sources;
    private string? error;
    private bool canEdit;
    private bool busy;

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthenticationState).User;
        canEdit = await Service.CanEditAsync(user);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            sources = await Service.ListAsync();
            error = null;
        }
        catch (Exception e)
        {
            error = e.Message;
        }
    }

    private static string Share(int applicants, double share) => applicants == 0 ? "–" : share.ToString("P1");

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<PartnerDialog>("New source",
            new DialogParameters<PartnerDialog>
            {
                { d => d.Create, (code, name) => Service.CreateAsync(user, code, name) },
                { d => d.Noun, "source" }, { d => d.Example, "WECHAT" }, { d => d.KeyUse, "the source's intake posts" },
            }, SmallDialog);
        if (await dialog.Result is { Canceled: false, Data: CreatedPartner created })
        {
            Snackbar.Add($"Source {created.Code} created.", Severity.Success);
            await LoadAsync();
            await ShowApiKeyAsync(created.Code, created.ApiKey, isNew: true);
        }
    }

    private async Task RenameAsync(SourceRow source)
    {
        var dialog = await Dialogs.ShowAsync<RenameDialog>($"Rename {source.Code}",
            new DialogParameters<RenameDialog>
            {
                { d => d.Code, source.Code }, { d => d.CurrentName, source.Name },
                { d => d.Rename, name => Service.RenameAsync(user, source.Id, name, source.Version) },
            }, SmallDialog);
        if (await dialog.Result is { Canceled: false }) Snackbar.Add($"{source.Code} renamed.", Severity.Success);
        await LoadAsync();
    }

    private async Task RotateKeyAsync(SourceRow source)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Rotate API key",
            $"{source.Code} gets a new API key and its current key stops working at once: the source must switch to the new key to post applicants.",
            yesText: "Rotate key", cancelText: "Cancel");
        if (confirmed != true) return;
        var result = await RunAsync(() => Service.RotateApiKeyAsync(user, source.Id));
        if (result is { Succeeded: true, ApiKey: { } key }) await ShowApiKeyAsync(source.Code, key, isNew: false);
    }

    private Task ShowApiKeyAsync(string code, string apiKey, bool isNew) =>
        Dialogs.ShowAsync<ApiKeyDialog>(isNew ? "API key of the new source" : "New API key",
            new DialogParameters<ApiKeyDialog> { { d => d.OwnerCode, code }, { d => d.Recipient, "source" }, { d => d.ApiKey, apiKey } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });

    private async Task ToggleAsync(SourceRow source)
    {
        var pausing = source.IsActive;
        var confirmed = await Dialogs.ShowMessageBoxAsync(pausing ? "Pause source" : "Resume source",
            pausing ? $"Applicants posted by {source.Code} will be refused (401) until it is resumed. Its applicants so far are kept."
                    : $"{source.Code} can post applicants again with its current key.",
            yesText: pausing ? "Pause" : "Resume", cancelText: "Cancel");
        if (confirmed != true) return;
        var result = await RunAsync(() => Service.SetActiveAsync(user, source.Id, !pausing));
        if (result.Succeeded) Snackbar.Add(pausing ? $"{source.Code} is paused." : $"{source.Code} is active again.", Severity.Success);
    }

    /// <summary>Runs one change with the actions disabled, reports a failure, and reloads the list either way.</summary>
    private async Task<CatalogResult> RunAsync(Func<Task<CatalogResult>> change)
    {
        busy = true;
        try
        {
            var result = await change();
            if (!result.Succeeded) Snackbar.Add(result.Message ?? "The change was not saved.", result.Status == CatalogStatus.Conflict ? Severity.Warning : Severity.Error);
            return result;
        }
        catch (Exception e)
        {
            Snackbar.Add($"The change was not saved: {e.Message}", Severity.Error);
            return CatalogResult.Invalid(e.Message);
        }
        finally
        {
            busy = false;
            await LoadAsync();
        }
    }
}
