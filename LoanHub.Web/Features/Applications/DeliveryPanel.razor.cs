using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LoanHub.Web.Features.Applications;

/// <summary>Where the application's delivery stands, and one row per attempt: each call's answer, latency, bid and reason.</summary>
public partial class DeliveryPanel
{
    [Parameter, EditorRequired] public DeliveryView Delivery { get; set; } = null!;

    /// <summary>Who the delivery in progress waits for, and at which stage.</summary>
    private string? Waiting => Delivery.Attempts.Where(a => a.Outcome == AttemptOutcome.InFlight).ToList() switch
    {
        [] => null,
        [var current] => $"waiting for {current.Target} to answer the {(current.AwaitsPrecheck ? "pre-check" : "post")}",
        // An auction asks every eligible lender's pre-check at once.
        var several => $"waiting for {several.Count} lenders to answer the pre-check",
    };

    private static string PrecheckCell(DeliveryAttemptView attempt) => attempt switch
    {
        { WithPrecheck: false } => "none",
        { PrecheckResult: { } result } => $"{DeliveryText.Answer(result)} · {DeliveryText.Latency(attempt.PrecheckLatencyMs)}",
        { AwaitsPrecheck: true } => DeliveryText.Waiting,
        _ => "not answered",
    };

    private static string PostCell(DeliveryAttemptView attempt) => attempt switch
    {
        { PostResult: { } result } => $"{DeliveryText.Answer(result)} · {DeliveryText.Latency(attempt.PostLatencyMs)}",
        { Outcome: AttemptOutcome.InFlight, ReachedPost: true } => DeliveryText.Waiting,
        _ => "not sent",
    };

    private static Color OutcomeColor(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Accepted => Color.Success,
        AttemptOutcome.InFlight => Color.Info,
        AttemptOutcome.Refused => Color.Warning,
        _ => Color.Error,
    };

    private static string Explanation(UnmatchedCause cause) => cause switch
    {
        UnmatchedCause.NoEligibleProduct => "no product's criteria, caps or budget let it in, so it was offered to no lender.",
        UnmatchedCause.RefusedByAll => "each eligible product's lender refused it, failed or timed out.",
        _ => "no lender accepted it before the delivery deadline.",
    };
}
