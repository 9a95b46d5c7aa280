using System.Security.Claims;
using LoanHub.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using MudBlazor;

namespace LoanHub.Web.Features.Lenders;

public partial class DeliveryDialog
{
    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = null!;
    [Parameter, EditorRequired] public string LenderCode { get; set; } = "";
    [Parameter, EditorRequired] public ClaimsPrincipal User { get; set; } = null!;
    /// <summary>Shows the editing actions; the service checks the right again on every change.</summary>
    [Parameter] public bool CanEdit { get; set; }

    [Inject] private LenderDeliveryService Delivery { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private IStringLocalizer<LendersStrings> L { get; set; } = null!;

    private DeliverySettings? settings;
    private string? loadError;
    private string? precheckUrl;
    private string? postUrl;
    private int? timeoutMs;
    private Dictionary<string, string> fieldErrors = [];
    private string? problem;
    private string? notice;
    private string? conflict;
    private string? newSecret;
    private bool secretIsFirst;
    private bool copied;
    private TestPrecheckResult? test;
    private ElementReference testPanel;
    private bool showTest;
    private bool saving;
    private bool working;
    private bool testing;
    private bool changed;

    private const string ExamplePrecheckUrl = "https://lender.example/loanhub/precheck";
    private const string ExamplePostUrl = "https://lender.example/loanhub/applications";

    private bool Busy => saving || working || testing;

    private string ModeText => settings is { IsPush: true }
        ? L["LoanHub sends each lead for {0} to these URLs, every call signed with the lender's secret.", LenderCode]
        : L["{0} is a pull lender: it fetches its leads from GET /api/v1/leads. Enter a post URL and save to push leads to it instead.", LenderCode];

    private string SecretStateText => settings is { SecretSet: true }
        ? L["Signing secret: set. It is shown only when generated; rotate it if the lender lost it."]
        : L["A signing secret is generated when you first save, and shown once."];

    private string SecretWarning => secretIsFirst
        ? L["The signing secret of {0}: copy it now and give it to the lender. You won't see it again; LoanHub keeps it encrypted and never shows it. If it is lost, rotate it.", LenderCode]
        : L["The new signing secret of {0}: copy it now and give it to the lender. You won't see it again; LoanHub keeps it encrypted and never shows it. If it is lost, rotate it.", LenderCode];

    private string TestExplanation => settings?.PrecheckUrl is null
        ? L["{0} has no saved pre-check URL, so there is nothing to test: its leads are posted directly.", LenderCode]
        : L["Sends a signed sample pre-check (hashes of a sample applicant, ¥10,000 over 12 months, tier B, score 620) to the saved pre-check URL with the lender's secret and timeout. It is not a delivery: nothing is recorded and health does not count it."];

    private string? PostHost => settings?.PostUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            loadError = null;
            settings = await Delivery.GetAsync(User, LenderCode);
            if (settings is null)
            {
                loadError = L["the lender {0} no longer exists; reload the page.", LenderCode];
                return;
            }
            precheckUrl = settings.PrecheckUrl;
            postUrl = settings.PostUrl;
            timeoutMs = settings.TimeoutMs;
            fieldErrors = [];
        }
        catch (Exception e)
        {
            loadError = e.Message;
        }
    }

    private string? ErrorOf(string field) => fieldErrors.GetValueOrDefault(field) is { } message ? L.FieldError(T, field, message) : null;

    // A field's error belongs to the value it was found in; the operator changing the value clears it.
    private void PrecheckUrlChanged(string? value)
    {
        precheckUrl = value;
        fieldErrors.Remove(DeliveryFields.PrecheckUrl);
    }

    private void PostUrlChanged(string? value)
    {
        postUrl = value;
        fieldErrors.Remove(DeliveryFields.PostUrl);
    }

    private void TimeoutChanged(int? value)
    {
        timeoutMs = value;
        fieldErrors.Remove(DeliveryFields.TimeoutMs);
    }

    private async Task SaveAsync()
    {
        if (settings is null) return;
        saving = true;
        problem = null;
        notice = null;
        try
        {
            var wasPush = settings.IsPush;
            var result = await Delivery.SaveAsync(User, LenderCode, precheckUrl, postUrl, timeoutMs, settings.Version);
            switch (result.Status)
            {
                case CatalogStatus.Ok:
                    changed = true;
                    ShowSecret(result.NewSecret, first: true);
                    await LoadAsync();
                    notice = wasPush ? L["Delivery of {0} saved.", LenderCode] : L["{0} is now a push lender.", LenderCode];
                    break;
                case CatalogStatus.Conflict:
                    conflict = Said(result);
                    break;
                default:
                    fieldErrors = new Dictionary<string, string>(result.FieldErrors);
                    problem = Said(result);
                    break;
            }
        }
        catch (Exception e)
        {
            problem = L["The delivery was not saved: {0}", e.Message];
        }
        finally
        {
            saving = false;
        }
    }

    private async Task ReloadAsync()
    {
        conflict = null;
        problem = null;
        await LoadAsync();
    }

    private async Task RotateAsync()
    {
        if (!await Dialogs.ConfirmAsync(L["Rotate signing secret"],
                L["{0} gets a new signing secret and the current one stops working at once: until the lender uses the new one, it will reject LoanHub's calls as badly signed.", LenderCode],
                L["Rotate secret"], destructive: true))
            return;
        await RunAsync(async () =>
        {
            var result = await Delivery.RotateSecretAsync(User, LenderCode);
            if (!Reported(result)) return;
            ShowSecret(result.NewSecret, first: false);
            notice = L["{0} has a new signing secret.", LenderCode];
            var edits = (precheckUrl, postUrl, timeoutMs);
            await LoadAsync();
            // Rotation changes only the secret: keep what the operator may be editing.
            (precheckUrl, postUrl, timeoutMs) = edits;
        });
    }

    private async Task RemoveAsync()
    {
        if (!await Dialogs.ConfirmAsync(L["Remove delivery"],
                L["{0} becomes a pull lender: LoanHub stops calling its URLs and forgets its signing secret, and the lender fetches its leads from GET /api/v1/leads.", LenderCode],
                L["Remove delivery"], destructive: true))
            return;
        await RunAsync(async () =>
        {
            if (!Reported(await Delivery.RemoveAsync(User, LenderCode))) return;
            newSecret = null;
            test = null;
            await LoadAsync();
            notice = L["{0} is a pull lender now.", LenderCode];
        });
    }

    private async Task SendTestAsync()
    {
        testing = true;
        test = null;
        try
        {
            test = await Delivery.SendTestPrecheckAsync(User, LenderCode);
        }
        catch (Exception e)
        {
            test = TestPrecheckResult.NotSent(L["The test pre-check was not sent: {0}", e.Message]);
        }
        finally
        {
            testing = false;
            showTest = true;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!showTest) return;
        showTest = false;
        try
        {
            await testPanel.FocusAsync(preventScroll: false);
        }
        catch (JSException)
        {
            // The panel is gone (the dialog closed meanwhile): nothing to show.
        }
    }

    private async Task RunAsync(Func<Task> action)
    {
        working = true;
        problem = null;
        notice = null;
        try
        {
            await action();
        }
        catch (Exception e)
        {
            problem = L["The change was not saved: {0}", e.Message];
        }
        finally
        {
            working = false;
        }
    }

    private bool Reported(DeliveryChange result)
    {
        if (result.Succeeded)
        {
            changed = true;
            return true;
        }
        if (result.Status == CatalogStatus.Conflict) conflict = Said(result);
        else problem = Said(result);
        return false;
    }

    private string? Said(DeliveryChange result) => result.Message is { } message ? L.Said(message) : null;

    private void ShowSecret(string? secret, bool first)
    {
        if (secret is null) return;
        newSecret = secret;
        secretIsFirst = first;
        copied = false;
    }

    private async Task CopySecretAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", newSecret);
            copied = true;
        }
        catch (JSException)
        {
            // Clipboard access needs a secure context; the secret stays selectable in the field.
            copied = false;
        }
    }

    private void ForgetSecret()
    {
        newSecret = null;
        copied = false;
    }

    private void Close() => MudDialog.Close(DialogResult.Ok(changed));
}
