using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LoanHub.Web.Features.Applications;

/// <summary>The steps of one application, oldest first, each with its colour and icon.</summary>
public partial class TimelineList
{
    [Parameter, EditorRequired] public IReadOnlyList<TimelineEvent> Events { get; set; } = [];

    private static Color ColorOf(TimelineKind kind) => kind switch
    {
        TimelineKind.Signal => Color.Warning,
        TimelineKind.Review => Color.Info,
        TimelineKind.DeliveryAccepted => Color.Success,
        TimelineKind.DeliveryRefused => Color.Warning,
        TimelineKind.DeliveryPending => Color.Info,
        TimelineKind.Routed => Color.Success,
        TimelineKind.Commission => Color.Primary,
        TimelineKind.Closed => Color.Error,
        _ => Color.Default,
    };

    private static string IconOf(TimelineKind kind) => kind switch
    {
        TimelineKind.Received => Icons.Material.Filled.Inbox,
        TimelineKind.Scored => Icons.Material.Filled.Speed,
        TimelineKind.Signal => Icons.Material.Filled.Flag,
        TimelineKind.Review => Icons.Material.Filled.FactCheck,
        TimelineKind.DeliveryAccepted => Icons.Material.Filled.Done,
        TimelineKind.DeliveryRefused => Icons.Material.Filled.Close,
        TimelineKind.DeliveryPending => Icons.Material.Filled.HourglassTop,
        TimelineKind.Routed => Icons.Material.Filled.AltRoute,
        TimelineKind.Outcome => Icons.Material.Filled.Assignment,
        TimelineKind.Commission => Icons.Material.Filled.Payments,
        _ => Icons.Material.Filled.Block,
    };
}
