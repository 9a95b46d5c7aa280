using System.Security.Claims;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Sources;

public partial class SourcesPage
{
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;
    [Inject] private SourceService Service { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<SourcesStrings> L { get; set; } = null!;
    [Inject] private IStringLocalizer<LendersStrings> P { get; set; } = null!;

    private ClaimsPrincipal user = new();
    private PartnerActions actions = null!;
    private IReadOnlyList<SourceRow>? sources;
    private string? error;
    private bool canEdit;
    private bool busy;

    // The cascaded state changes when the session is revalidated or signed out, so each change the page makes goes
    // to the service with the principal as it is now, not as it was when the page opened.
    protected override async Task OnParametersSetAsync() => user = (await AuthenticationState).User;

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthenticationState).User;
        actions = new PartnerActions(Dialogs, Snackbar, P, PartnerKind.Source, value => busy = value, LoadAsync);
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

    private static string Share(int applicants, double share) => applicants == 0 ? "–" : ConsoleFormat.Percent(share);

    private async Task CreateAsync()
    {
        if (await actions.CreateAsync("WECHAT", L["the source's intake posts"], (code, name) => Service.CreateAsync(user, code, name)) is not null)
            await LoadAsync();
    }

    private Task RenameAsync(SourceRow source) =>
        actions.RenameAsync(source.Code, source.Name, name => Service.RenameAsync(user, source.Id, name, source.Version));

    private Task RotateKeyAsync(SourceRow source) =>
        actions.RotateKeyAsync(source.Code, L["the source must switch to the new key to post applicants"], () => Service.RotateApiKeyAsync(user, source.Id));

    private Task ToggleAsync(SourceRow source) =>
        actions.ToggleAsync(source.Code, source.IsActive,
            L["Applicants posted by {0} will be refused (401) until it is resumed. Its applicants so far are kept.", source.Code],
            L["{0} can post applicants again with its current key.", source.Code],
            active => Service.SetActiveAsync(user, source.Id, active));
}
