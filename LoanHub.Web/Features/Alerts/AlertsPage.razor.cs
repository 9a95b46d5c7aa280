using System.Security.Claims;
using LoanHub.Web.Features.Delivery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Alerts;

public partial class AlertsPage
{
    [Inject] private AlertBook Book { get; set; } = null!;
    [Inject] private Cluster.ClusterSignals Signals { get; set; } = null!;
    [Inject] private DeliveryOptions DeliveryOptions { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IStringLocalizer<AlertsStrings> L { get; set; } = null!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    private AlertList? list;
    private IDisposable? signalSubscription;
    private string? error;
    private string? actionMessage;
    private bool working;
    private ClaimsPrincipal user = new();
    private readonly CancellationTokenSource stop = new();

    private bool Busy => working || !RendererInfo.IsInteractive;

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthenticationState).User;
        await LoadAsync();
        if (!RendererInfo.IsInteractive) return;
        signalSubscription ??= Signals.Subscribe(OnSignal);
    }

    private async Task LoadAsync()
    {
        try
        {
            list = await Book.ListAsync(user, stop.Token);
            error = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e.Message;
        }
    }

    /// <summary>Alerts changed on any instance (raised, cleared, acknowledged).</summary>
    private void OnSignal(Cluster.ClusterSignal signal)
    {
        if (signal == Cluster.ClusterSignal.Alerts) _ = InvokeAsync(ReloadAsync);
    }

    private async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task AcknowledgeAsync(Alert alert)
    {
        working = true;
        try
        {
            var result = await Book.AcknowledgeAsync(user, alert.Id, stop.Token);
            actionMessage = result.Error is { } message ? L[message, result.Arguments].Value : null;
            if (result.Succeeded) Snackbar.Add(L["Alert acknowledged."], Severity.Success);
        }
        finally
        {
            working = false;
        }
        await LoadAsync();
    }

    /// <summary>How long the condition has lasted, for an open alert.</summary>
    private string Ongoing(Alert alert)
    {
        var lasted = (list?.AsOf ?? alert.LastSeenAt) - alert.RaisedAt;
        return lasted < TimeSpan.FromMinutes(1) ? L["raised just now"] : L["for {0}", T.Age(lasted)];
    }

    private string RobotState(Alert alert) => alert switch
    {
        { NotifiedAt: null } => "—",
        { NotifyError: { } failed } => L["Not delivered: {0}", failed],
        _ => L["Sent"],
    };

    public void Dispose()
    {
        signalSubscription?.Dispose();
        stop.Cancel();
        stop.Dispose();
    }
}
