using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LoanHub.Web.Features.Applications;

/// <summary>Where the application's delivery stands, and one row per attempt: each call's answer, latency, bid and reason.</summary>
public partial class DeliveryPanel
{
    [Parameter, EditorRequired] public DeliveryView Delivery { get; set; } = null!;
    [Inject] private IStringLocalizer<ApplicationsStrings> L { get; set; } = default!;

    /// <summary>Who the delivery in progress waits for, and at which stage.</summary>
    private string? Waiting => Delivery.Attempts.Where(a => a.Outcome == AttemptOutcome.InFlight).ToList() switch
    {
        [] => (string?)null,
        [{ AwaitsPrecheck: true } current] => L["waiting for {0} to answer the pre-check", current.Target],
        [var current] => L["waiting for {0} to answer the post", current.Target],
        // An auction asks every eligible lender's pre-check at once.
        var several => L["waiting for {0} lenders to answer the pre-check", several.Count],
    };

    private string PrecheckCell(DeliveryAttemptView attempt) => attempt switch
    {
        { WithPrecheck: false } => L["none"],
        { PrecheckResult: { } result } => $"{L.Answer(result)} · {DeliveryText.Latency(attempt.PrecheckLatencyMs)}",
        { AwaitsPrecheck: true } => L[DeliveryText.Waiting],
        _ => L["not answered"],
    };

    private string PostCell(DeliveryAttemptView attempt) => attempt switch
    {
        { PostResult: { } result } => $"{L.Answer(result)} · {DeliveryText.Latency(attempt.PostLatencyMs)}",
        { Outcome: AttemptOutcome.InFlight, ReachedPost: true } => L[DeliveryText.Waiting],
        _ => L["not sent"],
    };

    private static Color OutcomeColor(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Accepted => Color.Success,
        AttemptOutcome.InFlight => Color.Info,
        AttemptOutcome.Refused => Color.Warning,
        _ => Color.Error,
    };

    private string Explanation(UnmatchedCause cause) => cause switch
    {
        UnmatchedCause.NoEligibleProduct => L["no product's criteria, caps or budget let it in, so it was offered to no lender."],
        UnmatchedCause.RefusedByAll => L["each eligible product's lender refused it, failed or timed out."],
        _ => L["no lender accepted it before the delivery deadline."],
    };
}
