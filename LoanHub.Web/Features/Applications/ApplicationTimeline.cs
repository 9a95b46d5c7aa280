using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

/// <summary>Lays the stored facts of one application out as the steps it went through, in time order, in the words of <paramref name="L"/>'s culture.</summary>
public static class ApplicationTimeline
{
    public static IReadOnlyList<TimelineEvent> Build(IStringLocalizer<ApplicationsStrings> L, LoanApplication application, string sourceName, RiskAssessment? assessment,
        DecisionRecord? record, ReviewCase? review, AllocationSummary? allocation, IReadOnlyList<DeliveryAttemptView> attempts,
        IReadOnlyList<OutcomeReport> outcomes, IReadOnlyList<CommissionEntry> ledger)
    {
        var events = new List<TimelineEvent>
        {
            new(application.ReceivedAt, TimelineKind.Received, L["Received from {0}", sourceName],
                L["{0} over {1} months · ref {2}", ConsoleFormat.Money(application.Applicant.RequestedAmount), application.Applicant.TermMonths, application.ExternalRef]),
        };

        if (assessment is not null)
        {
            var reasons = record?.Reasons.Select(r => r.Code) ?? assessment.ReasonCodes;
            events.Add(new(assessment.AssessedAt, TimelineKind.Scored, L["Scored {0}, tier {1}", assessment.Score, assessment.Tier],
                reasons.Any() ? L["Reasons: {0}", string.Join(", ", reasons)] : L["No adverse reasons"]));
            foreach (var signal in record?.Signals ?? [])
                events.Add(new(assessment.AssessedAt, TimelineKind.Signal, L["Fraud signal {0}", signal.Code], EngineSentences.Words(L, signal.Detail)));
        }

        if (review is not null)
        {
            events.Add(new(review.OpenedAt, TimelineKind.Review, L["Held for review"], string.Join(", ", review.Reasons)));
            if (review.ClaimedAt is { } claimedAt && review.ClaimedBy is { } claimedBy)
                events.Add(new(claimedAt, TimelineKind.Review, L["Claimed by {0}", claimedBy], null));
            if (review.DecidedAt is { } decidedAt)
                events.Add(new(decidedAt, TimelineKind.Review,
                    review.Status == ReviewStatus.Approved ? L["Review approved by {0}", review.DecidedBy!] : L["Review rejected by {0}", review.DecidedBy!], review.Note));
        }

        // Before the allocation they lead to: the accepting post and the allocation are recorded at the same instant.
        foreach (var attempt in attempts.OrderBy(a => a.Sequence)) events.AddRange(AttemptSteps(L, attempt));

        if (allocation is not null)
        {
            events.Add(new(allocation.AllocatedAt, TimelineKind.Routed,
                L["Routed to {0} · {1}", allocation.LenderCode, allocation.ProductCode],
                allocation.PulledByLender
                    ? $"{L[DeliveryText.PullLender]} · {Strategy(L, allocation.Strategy)}"
                    : Strategy(L, allocation.Strategy),
                allocation.ExpectedCommission));
        }
        else if (application.DecidedAt is { } closedAt && application.Status is ApplicationStatus.Rejected or ApplicationStatus.Duplicate or ApplicationStatus.Unmatched)
        {
            var because = record?.DecisionReasons is { Count: > 0 } reasons ? string.Join(", ", reasons) : null;
            events.Add(new(closedAt, TimelineKind.Closed, application.Status switch
            {
                ApplicationStatus.Rejected => L["Rejected"],
                ApplicationStatus.Duplicate => L["Closed as a duplicate"],
                // Applications left unmatched before deliveries existed have no cause: no product was eligible.
                _ => L["Unmatched: {0}", L.Cause(application.UnmatchedCause ?? UnmatchedCause.NoEligibleProduct)],
            }, because));
        }

        foreach (var outcome in outcomes)
        {
            events.Add(new(outcome.OccurredAt, TimelineKind.Outcome, Reported(L, outcome.Outcome),
                outcome.FundedAmount is null ? null : L["Funded amount"].Value, outcome.FundedAmount));
        }
        foreach (var entry in ledger)
        {
            // The ledger books every event, paid or not; an event the contract does not pay for earns nothing and must not read as earning.
            events.Add(entry.Amount == 0m
                ? new(entry.OccurredAt, TimelineKind.Outcome, Unpaid(L, entry.Event, entry.Model), null)
                : new(entry.OccurredAt, TimelineKind.Commission, Earned(L, entry.Event, entry.Model),
                    null, entry.Amount));
        }

        // Stable: events of the same instant keep the order of the flow (routed before the commission it earns).
        return [.. events.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e)];
    }

    /// <summary>
    /// One attempt as the steps it went through: the pre-check's answer (when the lender has one), then the post's, or
    /// why the attempt ended without one. Each step names the lender and product, its latency, the bid or the reason.
    /// </summary>
    private static IEnumerable<TimelineEvent> AttemptSteps(IStringLocalizer<ApplicationsStrings> L, DeliveryAttemptView attempt)
    {
        var target = attempt.Target;
        var number = L["attempt {0}", attempt.Sequence];
        // The writer records both answers when the attempt ends; the pre-check answered its latency after the attempt began.
        var ended = attempt.CompletedAt ?? attempt.CreatedAt;
        var precheckAnswered = Earliest(attempt.CreatedAt.AddMilliseconds(attempt.PrecheckLatencyMs ?? 0), attempt.CompletedAt);

        if (attempt.WithPrecheck)
        {
            switch (attempt.PrecheckResult)
            {
                case null when attempt.Outcome == AttemptOutcome.InFlight:
                    yield return new(attempt.CreatedAt, TimelineKind.DeliveryPending, L["Pre-check to {0}: {1}", target, L[DeliveryText.Waiting]], Join(L[DeliveryText.InProgress], number));
                    yield break;
                case null:
                    // Ended before the pre-check answered (abandoned): the ending below says why.
                    break;
                case CallResult.Accepted:
                    yield return new(precheckAnswered, TimelineKind.DeliveryAccepted, L["Pre-check to {0}: {1}", target, L.Answer(CallResult.Accepted)],
                        Join(number, attempt.Price is { } price ? L["bid {0}", DeliveryText.Bid(price)] : L["no bid named"], DeliveryText.Latency(attempt.PrecheckLatencyMs)));
                    break;
                case { } result:
                    yield return new(precheckAnswered, TimelineKind.DeliveryRefused, L["Pre-check to {0}: {1}", target, L.Answer(result)],
                        Join(number, attempt.Reason, DeliveryText.Latency(attempt.PrecheckLatencyMs)));
                    yield break;
            }
        }

        if (attempt.PostResult is { } post)
        {
            var accepted = post == CallResult.Accepted;
            yield return new(ended, accepted ? TimelineKind.DeliveryAccepted : TimelineKind.DeliveryRefused, L["Post to {0}: {1}", target, L.Answer(post)],
                Join(number, accepted ? (attempt.LenderRef is { } reference ? L["lender ref {0}", reference] : L["no lender ref"]) : attempt.Reason,
                    DeliveryText.Latency(attempt.PostLatencyMs)),
                Link: accepted ? DeliveryText.SafeLink(attempt.RedirectUrl) : null);
        }
        else if (attempt.Outcome == AttemptOutcome.InFlight)
        {
            yield return new(attempt.WithPrecheck ? precheckAnswered : attempt.CreatedAt, TimelineKind.DeliveryPending,
                L["Post to {0}: {1}", target, L[DeliveryText.Waiting]], Join(L[DeliveryText.InProgress], number));
        }
        else if (attempt.Outcome == AttemptOutcome.Abandoned)
        {
            // After an accepted pre-check the post may never have gone out (an auction's losing bid) or gone unanswered.
            var title = attempt.WithPrecheck && attempt.PrecheckResult is null ? L["Pre-check to {0}: {1}", target, ApplicationText.InSentence(L["Abandoned"])]
                : attempt.WithPrecheck ? L["Attempt at {0}: abandoned after the pre-check", target]
                : L["Post to {0}: {1}", target, ApplicationText.InSentence(L["Abandoned"])];
            yield return new(ended, TimelineKind.DeliveryRefused, title, Join(number, attempt.Reason));
        }
        else
        {
            // The pre-check accepted with a bid under the product's minimum price: refused without a post.
            yield return new(ended, TimelineKind.DeliveryRefused, L["Bid from {0}: {1}", target, L.Answer(CallResult.Refused)], Join(number, attempt.Reason));
        }
    }

    private static DateTimeOffset Earliest(DateTimeOffset at, DateTimeOffset? bound) => bound is { } b && b < at ? b : at;

    private static string Join(params string?[] parts) => string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    /// <summary>"CPS pays on funding": what the contract pays for.</summary>
    private static string PaidEvent(IStringLocalizer<ApplicationsStrings> L, CommissionModel model) => CommissionContract.EventPaidBy(model) switch
    {
        CommissionEvent.Delivered => L["{0} pays on delivery", model],
        CommissionEvent.Approved => L["{0} pays on approval", model],
        _ => L["{0} pays on funding", model],
    };

    /// <summary>"Approved by the lender (CPS pays on funding)": an event the contract books but does not pay for.</summary>
    private static string Unpaid(IStringLocalizer<ApplicationsStrings> L, CommissionEvent commissionEvent, CommissionModel model) => commissionEvent switch
    {
        CommissionEvent.Delivered => L["Delivered ({0})", PaidEvent(L, model)],
        CommissionEvent.Approved => L["Approved by the lender ({0})", PaidEvent(L, model)],
        _ => L["Funded ({0})", PaidEvent(L, model)],
    };

    private static string Earned(IStringLocalizer<ApplicationsStrings> L, CommissionEvent commissionEvent, CommissionModel model) => commissionEvent switch
    {
        CommissionEvent.Delivered => L["Commission earned ({0} on delivered)", model],
        CommissionEvent.Approved => L["Commission earned ({0} on approved)", model],
        _ => L["Commission earned ({0} on funded)", model],
    };

    private static string Reported(IStringLocalizer<ApplicationsStrings> L, LenderOutcome outcome) => outcome switch
    {
        LenderOutcome.Approved => L["Lender reported approved"],
        LenderOutcome.Declined => L["Lender reported declined"],
        _ => L["Lender reported funded"],
    };

    /// <summary>"Weighted strategy, expected commission": the amount beside it is the expected commission.</summary>
    private static string Strategy(IStringLocalizer<ApplicationsStrings> L, RoutingStrategy strategy) =>
        L["{0} strategy, expected commission", L.Strategy(strategy)];
}
