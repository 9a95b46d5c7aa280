using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Web.Components;
using LoanHub.Web.Features.Configuration;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Lenders;

public partial class LendersPage
{
    private const string ConfigurationFileName = ConfigurationExporter.FileName;
    private static readonly DialogOptions WideDialog = new() { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true };
    // A secret shown once must not vanish with a stray click beside the dialog.
    private static readonly DialogOptions DeliveryDialogOptions = new() { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false };

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;
    [Inject] private LenderCatalogService Catalog { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<LendersStrings> L { get; set; } = null!;

    private ClaimsPrincipal user = new();
    private PartnerActions actions = null!;
    private IReadOnlyList<LenderRow>? lenders;
    private readonly HashSet<LenderId> expanded = [];
    private string? error;
    private string? search;
    private bool canEdit;
    private bool busy;

    private IEnumerable<LenderRow> Visible =>
        lenders?.Where(l => Matches(l.Code, l.Name) || l.Products.Any(p => Matches(p.Code, p.Name))) ?? [];

    // The cascaded state changes when the session is revalidated or signed out, so each change the page makes goes
    // to the service with the principal as it is now, not as it was when the page opened.
    protected override async Task OnParametersSetAsync() => user = (await AuthenticationState).User;

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthenticationState).User;
        actions = new PartnerActions(Dialogs, Snackbar, L, PartnerKind.Lender, value => busy = value, LoadAsync);
        canEdit = await Catalog.CanEditAsync(user);
        await LoadAsync();
        if (lenders is not null) expanded.UnionWith(lenders.Select(l => l.Id));
    }

    private async Task LoadAsync()
    {
        try
        {
            lenders = await Catalog.ListAsync();
            error = null;
        }
        catch (Exception e)
        {
            error = e.Message;
        }
    }

    private bool Matches(string code, string name) =>
        string.IsNullOrWhiteSpace(search)
        || code.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
        || name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>A lender that matches the search shows all its products; otherwise only the products that match.</summary>
    private IReadOnlyList<ProductRow> ProductsOf(LenderRow lender) =>
        Matches(lender.Code, lender.Name) ? lender.Products : [.. lender.Products.Where(p => Matches(p.Code, p.Name))];

    private void Toggle(LenderId id)
    {
        if (!expanded.Remove(id)) expanded.Add(id);
    }

    private void ToggleAll()
    {
        if (expanded.Count > 0) expanded.Clear();
        else if (lenders is not null) expanded.UnionWith(lenders.Select(l => l.Id));
    }

    private async Task CreateLenderAsync()
    {
        var code = await actions.CreateAsync("ZSB", L["the lender's postbacks"], (code, name) => Catalog.CreateLenderAsync(user, code, name));
        if (code is null) return;
        await LoadAsync();
        if (lenders?.FirstOrDefault(l => l.Code == code) is { } lender) expanded.Add(lender.Id);
    }

    private Task RenameAsync(LenderRow lender) =>
        actions.RenameAsync(lender.Code, lender.Name, name => Catalog.RenameLenderAsync(user, lender.Id, name, lender.Version));

    private Task RotateKeyAsync(LenderRow lender) =>
        actions.RotateKeyAsync(lender.Code, L["the lender must switch to the new key for postbacks"], () => Catalog.RotateApiKeyAsync(user, lender.Id));

    private Task ToggleLenderAsync(LenderRow lender) =>
        actions.ToggleAsync(lender.Code, lender.IsActive,
            L["{0} will receive no new leads, on any of its products, until it is resumed.", lender.Code],
            L["{0} will receive leads again on its active products.", lender.Code],
            active => Catalog.SetLenderActiveAsync(user, lender.Id, active));

    private Task ToggleProductAsync(ProductRow product) => actions.WhileBusyAsync(async () =>
    {
        var pausing = product.IsActive;
        if (!await Dialogs.ConfirmAsync(pausing ? L["Pause product"] : L["Resume product"],
                pausing ? L["{0} will receive no new leads until it is resumed.", product.Code] : L["{0} will receive leads again.", product.Code],
                pausing ? L["Pause"] : L["Resume"], destructive: pausing))
            return;
        var result = await actions.RunAsync(() => Catalog.SetProductActiveAsync(user, product.Id, !pausing));
        if (result.Succeeded) Snackbar.Add(pausing ? L["{0} is paused.", product.Code] : L["{0} is active again.", product.Code], Severity.Success);
    });

    private Task CreateProductAsync(LenderRow lender) => OpenProductDialogAsync(ProductForm.NewFor(lender), L["New product of {0}", lender.Code]);

    private Task EditProductAsync(LenderRow lender, ProductRow product) =>
        OpenProductDialogAsync(ProductForm.From(product, lender.Code), L["Edit product {0}", product.Code]);

    private async Task OpenProductDialogAsync(ProductForm form, string title)
    {
        var dialog = await Dialogs.ShowAsync<ProductDialog>(title,
            new DialogParameters<ProductDialog> { { d => d.Form, form }, { d => d.Save, f => Catalog.SaveProductAsync(user, f) } }, WideDialog);
        var result = await dialog.Result;
        if (result is not { Canceled: false }) return;
        if (result.Data is ProductDialog.ReloadRequested && form.Id is { } id)
        {
            // The operator chose to see the other operator's version: reopen the dialog on it.
            await LoadAsync();
            var lender = lenders?.FirstOrDefault(l => l.Id == form.LenderId);
            var fresh = lender?.Products.FirstOrDefault(p => p.Id == id);
            if (lender is not null && fresh is not null) await EditProductAsync(lender, fresh);
            else Snackbar.Add(L["The product no longer exists."], Severity.Warning);
            return;
        }
        Snackbar.Add(form.IsNew ? L["Product {0} created.", form.Code.Trim()] : L["Product {0} saved.", form.Code], Severity.Success);
        await LoadAsync();
    }

    private async Task OpenDeliveryAsync(LenderRow lender)
    {
        var dialog = await Dialogs.ShowAsync<DeliveryDialog>(L["Delivery of {0}", lender.Code],
            new DialogParameters<DeliveryDialog> { { d => d.LenderCode, lender.Code }, { d => d.User, user }, { d => d.CanEdit, canEdit } }, DeliveryDialogOptions);
        // Reloaded however the dialog was closed: a change saved before Escape still shows.
        await dialog.Result;
        await LoadAsync();
    }

    private async Task OpenHealthAsync(LenderRow lender)
    {
        var dialog = await Dialogs.ShowAsync<DeliveryHealthDialog>(L["Delivery health of {0}", lender.Code],
            new DialogParameters<DeliveryHealthDialog>
            {
                { d => d.LenderCode, lender.Code }, { d => d.User, user }, { d => d.CanEdit, canEdit },
                { d => d.Resume, () => Catalog.SetLenderActiveAsync(user, lender.Id, true) },
            }, WideDialog);
        await dialog.Result;
        await LoadAsync();
    }

    private async Task ImportAsync()
    {
        var dialog = await Dialogs.ShowAsync<ImportDialog>(L["Import configuration"],
            new DialogParameters<ImportDialog>
            {
                { d => d.Preview, (stream, ct) => Catalog.PreviewImportAsync(user, stream, ct) },
                { d => d.Apply, (document, comment) => Catalog.ImportAsync(user, document, comment) },
            }, WideDialog);
        if (await dialog.Result is { Canceled: false, Data: string message })
        {
            Snackbar.Add(message, Severity.Success);
            await LoadAsync();
        }
    }
}

/// <summary>What <see cref="PartnerDialog"/> returns: the new lender's or source's code and its API key, to show once.</summary>
public sealed record CreatedPartner(string Code, string ApiKey);
