using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Applications;

/// <summary>Lays the stored facts of one application out as the steps it went through, in time order.</summary>
public static class ApplicationTimeline
{
    public static IReadOnlyList<TimelineEvent> Build(LoanApplication application, string sourceName, RiskAssessment? assessment,
        DecisionRecord? record, ReviewCase? review, AllocationSummary? allocation, IReadOnlyList<OutcomeReport> outcomes,
        IReadOnlyList<CommissionEntry> ledger)
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

        if (allocation is not null)
        {
            events.Add(new(allocation.AllocatedAt, TimelineKind.Routed,
                $"Routed to {allocation.LenderCode} · {allocation.ProductCode}",
                $"{allocation.Strategy} strategy, expected commission", allocation.ExpectedCommission));
        }
        else if (application.DecidedAt is { } closedAt && application.Status is ApplicationStatus.Rejected or ApplicationStatus.Duplicate or ApplicationStatus.Unmatched)
        {
            var because = record?.DecisionReasons is { Count: > 0 } reasons ? string.Join(", ", reasons) : null;
            events.Add(new(closedAt, TimelineKind.Closed, application.Status switch
            {
                ApplicationStatus.Rejected => "Rejected",
                ApplicationStatus.Duplicate => "Closed as a duplicate",
                _ => "No eligible product (unmatched)",
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

    private static string PaidEvent(CommissionModel model) => model switch
    {
        CommissionModel.CPL => "delivery",
        CommissionModel.CPA => "approval",
        _ => "funding",
    };
}
