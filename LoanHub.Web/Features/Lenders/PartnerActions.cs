using LoanHub.Web.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Lenders;

/// <summary>
/// The console's actions on a lender or a traffic source, shared by their pages: each asks for confirmation where
/// a change takes effect at once, runs the change, and reports how it went, with the page's buttons disabled
/// meanwhile (<paramref name="setBusy"/>) and its list reloaded afterwards (<paramref name="reload"/>).
/// </summary>
public sealed class PartnerActions(IDialogService dialogs, ISnackbar snackbar, IStringLocalizer<LendersStrings> L, PartnerKind kind,
    Action<bool> setBusy, Func<Task> reload)
{
    private static readonly DialogOptions SmallDialog = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    private bool IsLender => kind == PartnerKind.Lender;

    /// <summary>Opens the create dialog; on success shows the new key once and returns the new code.</summary>
    /// <param name="keyUse">What the key is for, in the reader's language.</param>
    public async Task<string?> CreateAsync(string example, string keyUse, Func<string, string, Task<CatalogResult>> create)
    {
        var dialog = await dialogs.ShowAsync<PartnerDialog>(IsLender ? L["New lender"] : L["New source"],
            new DialogParameters<PartnerDialog>
            {
                { d => d.Create, create }, { d => d.Kind, kind }, { d => d.Example, example }, { d => d.KeyUse, keyUse },
            }, SmallDialog);
        if (await dialog.Result is not { Canceled: false, Data: CreatedPartner created }) return null;
        snackbar.Add(IsLender ? L["Lender {0} created.", created.Code] : L["Source {0} created.", created.Code], Severity.Success);
        await ShowApiKeyAsync(created.Code, created.ApiKey, isNew: true);
        return created.Code;
    }

    public Task RenameAsync(string code, string currentName, Func<string, Task<CatalogResult>> rename) => WhileBusyAsync(async () =>
    {
        var dialog = await dialogs.ShowAsync<RenameDialog>(L["Rename {0}", code],
            new DialogParameters<RenameDialog> { { d => d.Code, code }, { d => d.CurrentName, currentName }, { d => d.Rename, rename } }, SmallDialog);
        if (await dialog.Result is { Canceled: false }) snackbar.Add(L["{0} renamed.", code], Severity.Success);
    });

    /// <param name="consequence">What the partner must do about it, in the reader's language, e.g. "the lender must switch to the new key for postbacks".</param>
    public Task RotateKeyAsync(string code, string consequence, Func<Task<CatalogResult>> rotate) => WhileBusyAsync(async () =>
    {
        if (!await dialogs.ConfirmAsync(L["Rotate API key"],
                L["{0} gets a new API key and its current key stops working at once: {1}.", code, consequence], L["Rotate key"], destructive: true))
            return;
        if (await RunAsync(rotate) is { Succeeded: true, ApiKey: { } key }) await ShowApiKeyAsync(code, key, isNew: false);
    });

    /// <summary>Pauses an active partner or resumes a paused one, after saying what that does.</summary>
    public Task ToggleAsync(string code, bool active, string whenPaused, string whenResumed, Func<bool, Task<CatalogResult>> setActive) => WhileBusyAsync(async () =>
    {
        var pausing = active;
        var title = (IsLender, pausing) switch
        {
            (true, true) => L["Pause lender"],
            (true, false) => L["Resume lender"],
            (false, true) => L["Pause source"],
            (false, false) => L["Resume source"],
        };
        if (!await dialogs.ConfirmAsync(title, pausing ? whenPaused : whenResumed, pausing ? L["Pause"] : L["Resume"], destructive: pausing))
            return;
        if ((await RunAsync(() => setActive(!pausing))).Succeeded)
            snackbar.Add(pausing ? L["{0} is paused.", code] : L["{0} is active again.", code], Severity.Success);
    });

    /// <summary>Runs one change and reports a failure; the result says whether it was saved.</summary>
    public async Task<CatalogResult> RunAsync(Func<Task<CatalogResult>> change)
    {
        try
        {
            var result = await change();
            if (!result.Succeeded)
                snackbar.Add(L.Said(result), result.Status == CatalogStatus.Conflict ? Severity.Warning : Severity.Error);
            return result;
        }
        catch (Exception e)
        {
            snackbar.Add(L["The change was not saved: {0}", e.Message], Severity.Error);
            return CatalogResult.Invalid(e.Message);
        }
    }

    /// <summary>Runs one action with the page's buttons disabled, and reloads the page's list either way.</summary>
    public async Task WhileBusyAsync(Func<Task> action)
    {
        setBusy(true);
        try
        {
            await action();
        }
        finally
        {
            setBusy(false);
            await reload();
        }
    }

    private Task ShowApiKeyAsync(string code, string apiKey, bool isNew) =>
        dialogs.ShowAsync<ApiKeyDialog>(isNew ? (IsLender ? L["API key of the new lender"] : L["API key of the new source"]) : L["New API key"],
            new DialogParameters<ApiKeyDialog> { { d => d.OwnerCode, code }, { d => d.Kind, kind }, { d => d.ApiKey, apiKey } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
}
