using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Applications;

/// <summary>Lays the stored facts of one application out as the steps it went through, in time order.</summary>
public static class ApplicationTimeline
{
    public static IReadOnlyList<TimelineEvent> Build(LoanApplication application, string sourceName, RiskAssessment? assessment,
        DecisionRecord? record, ReviewCase? review, AllocationSummary? allocation, IReadOnlyList<DeliveryAttemptView> attempts,
        IReadOnlyList<OutcomeReport> outcomes, IReadOnlyList<CommissionEntry> ledger)
    {
        var events = new List<TimelineEvent>
        {
            new(application.ReceivedAt, TimelineKind.Received, $"Received from {sourceName}",
                $"¥{application.Applicant.RequestedAmount:N2} over {application.Applicant.TermMonths} months · ref {application.ExternalRef}"),
        };

        if (assessment is not null)
        {
            var reasons = record?.Reasons.Select(r => r.Code) ?? assessment.ReasonCodes;
            events.Add(new(assessment.AssessedAt, TimelineKind.Scored, $"Scored {assessment.Score}, tier {assessment.Tier}",
                reasons.Any() ? $"Reasons: {string.Join(", ", reasons)}" : "No adverse reasons"));
            foreach (var signal in record?.Signals ?? [])
                events.Add(new(assessment.AssessedAt, TimelineKind.Signal, $"Fraud signal {signal.Code}", signal.Detail));
        }

        if (review is not null)
        {
            events.Add(new(review.OpenedAt, TimelineKind.Review, "Held for review", string.Join(", ", review.Reasons)));
            if (review.ClaimedAt is { } claimedAt && review.ClaimedBy is { } claimedBy)
                events.Add(new(claimedAt, TimelineKind.Review, $"Claimed by {claimedBy}", null));
            if (review.DecidedAt is { } decidedAt)
                events.Add(new(decidedAt, TimelineKind.Review,
                    $"Review {(review.Status == ReviewStatus.Approved ? "approved" : "rejected")} by {review.DecidedBy}", review.Note));
        }

        // Before the allocation they lead to: the accepting post and the allocation are recorded at the same instant.
        foreach (var attempt in attempts.OrderBy(a => a.Sequence)) events.AddRange(AttemptSteps(attempt));

        if (allocation is not null)
        {
            events.Add(new(allocation.AllocatedAt, TimelineKind.Routed,
                $"Routed to {allocation.LenderCode} · {allocation.ProductCode}",
                allocation.PulledByLender
                    ? $"{DeliveryText.PullLender} · {allocation.Strategy} strategy, expected commission"
                    : $"{allocation.Strategy} strategy, expected commission",
                allocation.ExpectedCommission));
        }
        else if (application.DecidedAt is { } closedAt && application.Status is ApplicationStatus.Rejected or ApplicationStatus.Duplicate or ApplicationStatus.Unmatched)
        {
            var because = record?.DecisionReasons is { Count: > 0 } reasons ? string.Join(", ", reasons) : null;
            events.Add(new(closedAt, TimelineKind.Closed, application.Status switch
            {
                ApplicationStatus.Rejected => "Rejected",
                ApplicationStatus.Duplicate => "Closed as a duplicate",
                // Applications left unmatched before deliveries existed have no cause: no product was eligible.
                _ => $"Unmatched: {DeliveryText.Cause(application.UnmatchedCause ?? UnmatchedCause.NoEligibleProduct)}",
            }, because));
        }

        foreach (var outcome in outcomes)
        {
            events.Add(new(outcome.OccurredAt, TimelineKind.Outcome, $"Lender reported {outcome.Outcome.ToString().ToLowerInvariant()}",
                outcome.FundedAmount is null ? null : "Funded amount", outcome.FundedAmount));
        }
        foreach (var entry in ledger)
        {
            // The ledger books every event, paid or not; an event the contract does not pay for earns nothing and must not read as earning.
            events.Add(entry.Amount == 0m
                ? new(entry.OccurredAt, TimelineKind.Outcome, $"{entry.Event} ({entry.Model} pays on {PaidEvent(entry.Model)})", null)
                : new(entry.OccurredAt, TimelineKind.Commission, $"Commission earned ({entry.Model} on {entry.Event.ToString().ToLowerInvariant()})",
                    null, entry.Amount));
        }

        // Stable: events of the same instant keep the order of the flow (routed before the commission it earns).
        return [.. events.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e)];
    }

    /// <summary>
    /// One attempt as the steps it went through: the pre-check's answer (when the lender has one), then the post's, or
    /// why the attempt ended without one. Each step names the lender and product, its latency, the bid or the reason.
    /// </summary>
    private static IEnumerable<TimelineEvent> AttemptSteps(DeliveryAttemptView attempt)
    {
        var target = attempt.Target;
        var number = $"attempt {attempt.Sequence}";
        // The writer records both answers when the attempt ends; the pre-check answered its latency after the attempt began.
        var ended = attempt.CompletedAt ?? attempt.CreatedAt;
        var precheckAnswered = Earliest(attempt.CreatedAt.AddMilliseconds(attempt.PrecheckLatencyMs ?? 0), attempt.CompletedAt);

        if (attempt.WithPrecheck)
        {
            switch (attempt.PrecheckResult)
            {
                case null when attempt.Outcome == AttemptOutcome.InFlight:
                    yield return new(attempt.CreatedAt, TimelineKind.DeliveryPending, $"Pre-check to {target}: {DeliveryText.Waiting}", Join(DeliveryText.InProgress, number));
                    yield break;
                case null:
                    // Ended before the pre-check answered (abandoned): the ending below says why.
                    break;
                case CallResult.Accepted:
                    yield return new(precheckAnswered, TimelineKind.DeliveryAccepted, $"Pre-check to {target}: accepted",
                        Join(number, attempt.Price is { } price ? $"bid {DeliveryText.Bid(price)}" : "no bid named", DeliveryText.Latency(attempt.PrecheckLatencyMs)));
                    break;
                case { } result:
                    yield return new(precheckAnswered, TimelineKind.DeliveryRefused, $"Pre-check to {target}: {DeliveryText.Answer(result)}",
                        Join(number, attempt.Reason, DeliveryText.Latency(attempt.PrecheckLatencyMs)));
                    yield break;
            }
        }

        if (attempt.PostResult is { } post)
        {
            var accepted = post == CallResult.Accepted;
            yield return new(ended, accepted ? TimelineKind.DeliveryAccepted : TimelineKind.DeliveryRefused, $"Post to {target}: {DeliveryText.Answer(post)}",
                Join(number, accepted ? (attempt.LenderRef is { } reference ? $"lender ref {reference}" : "no lender ref") : attempt.Reason,
                    DeliveryText.Latency(attempt.PostLatencyMs)),
                Link: accepted ? DeliveryText.SafeLink(attempt.RedirectUrl) : null);
        }
        else if (attempt.Outcome == AttemptOutcome.InFlight)
        {
            yield return new(attempt.WithPrecheck ? precheckAnswered : attempt.CreatedAt, TimelineKind.DeliveryPending,
                $"Post to {target}: {DeliveryText.Waiting}", Join(DeliveryText.InProgress, number));
        }
        else if (attempt.Outcome == AttemptOutcome.Abandoned)
        {
            // After an accepted pre-check the post may never have gone out (an auction's losing bid) or gone unanswered.
            var title = attempt.WithPrecheck && attempt.PrecheckResult is null ? $"Pre-check to {target}: abandoned"
                : attempt.WithPrecheck ? $"Attempt at {target}: abandoned after the pre-check"
                : $"Post to {target}: abandoned";
            yield return new(ended, TimelineKind.DeliveryRefused, title, Join(number, attempt.Reason));
        }
        else
        {
            // The pre-check accepted with a bid under the product's minimum price: refused without a post.
            yield return new(ended, TimelineKind.DeliveryRefused, $"Bid from {target}: refused", Join(number, attempt.Reason));
        }
    }

    private static DateTimeOffset Earliest(DateTimeOffset at, DateTimeOffset? bound) => bound is { } b && b < at ? b : at;

    private static string Join(params string?[] parts) => string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static string PaidEvent(CommissionModel model) => CommissionContract.EventPaidBy(model) switch
    {
        CommissionEvent.Delivered => "delivery",
        CommissionEvent.Approved => "approval",
        _ => "funding",
    };
}
