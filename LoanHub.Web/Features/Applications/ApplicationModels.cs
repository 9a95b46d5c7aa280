using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Core.Identity;

namespace LoanHub.Web.Features.Applications;

/// <summary>What the applications list is filtered by; every part is optional.</summary>
public sealed record ApplicationFilter
{
    public ApplicationStatus? Status { get; init; }
    public SourceId? Source { get; init; }
    public LenderId? Lender { get; init; }
    public RiskTier? Tier { get; init; }
    /// <summary>First China business day received (inclusive).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Last China business day received (inclusive).</summary>
    public DateOnly? To { get; init; }
    /// <summary>A full national ID or mobile number, matched exactly through its keyed hash.</summary>
    public string? IdOrPhone { get; init; }
    /// <summary>Unmatched applicants left so for this reason; one with no cause recorded counts as having had no eligible product.</summary>
    public UnmatchedCause? Cause { get; init; }
}

public sealed record ApplicationRow(
    ApplicationId Id,
    DateTimeOffset ReceivedAt,
    string SourceCode,
    string MaskedName,
    string MaskedNationalId,
    string MaskedPhone,
    decimal RequestedAmount,
    int TermMonths,
    int? Score,
    RiskTier? Tier,
    ApplicationStatus Status,
    string? LenderCode,
    string? ProductCode,
    UnmatchedCause? Cause = null);

/// <param name="Total">
/// Matching applications, counted exactly up to <see cref="ApplicationsService.CountCap"/>. Past the cap, a lower bound:
/// more than the cap, and at least one row beyond this page when another page follows.
/// </param>
/// <param name="TotalIsCapped">True when there are more than the cap; the pager then shows "2,000+" and pages on while pages are full.</param>
public sealed record ApplicationPage(IReadOnlyList<ApplicationRow> Rows, int Total, bool TotalIsCapped);

public sealed record FilterChoice<TId>(TId Id, string Code, string Name);

public sealed record ApplicationFilterOptions(IReadOnlyList<FilterChoice<SourceId>> Sources, IReadOnlyList<FilterChoice<LenderId>> Lenders)
{
    /// <summary>No sources or lenders: for a filter that names neither, or before they are loaded.</summary>
    public static ApplicationFilterOptions None { get; } = new([], []);
}

public enum PersonalField { Name, NationalId, Phone, DeviceId, IpAddress }

public enum TimelineKind { Received, Scored, Signal, Review, DeliveryAccepted, DeliveryRefused, DeliveryPending, Routed, Outcome, Commission, Closed }

/// <param name="Link">A web address the step points to (the lender's redirect URL), shown as a link.</param>
public sealed record TimelineEvent(DateTimeOffset At, TimelineKind Kind, string Title, string? Detail, decimal? Amount = null, string? Link = null);

public sealed record ReviewSummary(DateTimeOffset OpenedAt, IReadOnlyList<string> Reasons, ReviewStatus Status, string? ClaimedBy,
    DateTimeOffset? ClaimedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? Note, Guid? ClusterId);

/// <param name="PulledByLender">True when no attempt delivered the lead: a pull lender fetches it through the leads API.</param>
public sealed record AllocationSummary(string LenderCode, string LenderName, string ProductCode, string ProductName, RoutingStrategy Strategy,
    DateTimeOffset AllocatedAt, decimal ExpectedCommission, DeliveryStatus Status, decimal? FundedAmount, decimal CommissionEarned,
    bool PulledByLender = false);

/// <summary>One offer of the application to one lender product: the pre-check (when the lender has one) and the post.</summary>
public sealed record DeliveryAttemptView(
    int Sequence,
    string LenderCode,
    string ProductCode,
    DateTimeOffset CreatedAt,
    bool WithPrecheck,
    CallResult? PrecheckResult,
    int? PrecheckLatencyMs,
    decimal? Price,
    CallResult? PostResult,
    int? PostLatencyMs,
    AttemptOutcome Outcome,
    string? Reason,
    string? LenderRef,
    string? RedirectUrl,
    DateTimeOffset? CompletedAt)
{
    public static DeliveryAttemptView Of(DeliveryAttempt attempt, string lenderCode, string productCode) => new(
        attempt.Sequence, lenderCode, productCode, attempt.CreatedAt, attempt.WithPrecheck, attempt.PrecheckResult, attempt.PrecheckLatencyMs,
        attempt.Price, attempt.PostResult, attempt.PostLatencyMs, attempt.Outcome, attempt.Reason, attempt.LenderRef, attempt.RedirectUrl,
        attempt.CompletedAt);

    public string Target => $"{LenderCode} · {ProductCode}";

    /// <summary>Waiting for the pre-check's answer: the post is sent only after it accepts.</summary>
    public bool AwaitsPrecheck => Outcome == AttemptOutcome.InFlight && WithPrecheck && PrecheckResult is null;

    /// <summary>The post was reached: no pre-check, or one that accepted.</summary>
    public bool ReachedPost => !WithPrecheck || PrecheckResult == CallResult.Accepted;
}

/// <summary>How the lead was handed to lenders: every attempt in order, and where the delivery stands.</summary>
/// <param name="Cause">Why no lender took it, when the application ended Unmatched.</param>
public sealed record DeliveryView(ApplicationStatus Status, UnmatchedCause? Cause, IReadOnlyList<DeliveryAttemptView> Attempts, AllocationSummary? Allocation)
{
    /// <summary>Still Received while an attempt waits for its lender.</summary>
    public bool InProgress => Status == ApplicationStatus.Received && Attempts.Any(a => a.Outcome == AttemptOutcome.InFlight);

    public DeliveryAttemptView? Accepted => Attempts.LastOrDefault(a => a.Outcome == AttemptOutcome.Accepted);

    public bool PulledByLender => Allocation is { PulledByLender: true };

    /// <summary>Nothing to show for an application never offered to a lender (rejected, a duplicate, in review).</summary>
    public bool IsEmpty => Attempts.Count == 0 && Allocation is null && Cause is null;
}

/// <summary>One application as the detail page shows it: masked personal data, the decision record and the timeline.</summary>
public sealed record ApplicationDetail(
    ApplicationId Id,
    string ExternalRef,
    string SourceCode,
    string SourceName,
    DateTimeOffset ReceivedAt,
    ApplicationStatus Status,
    DateTimeOffset? DecidedAt,
    string MaskedName,
    string MaskedNationalId,
    string MaskedPhone,
    string Province,
    string? City,
    int? Age,
    DateTimeOffset? PersonalDataErasedAt,
    Employment Employment,
    decimal MonthlyIncome,
    decimal? ExistingMonthlyDebt,
    decimal RequestedAmount,
    int TermMonths,
    LoanPurpose Purpose,
    string MaskedDeviceId,
    string MaskedIpAddress,
    int? BureauScore,
    Consent Consent,
    DecisionRecord? Record,
    ReviewSummary? Review,
    AllocationSummary? Allocation,
    DeliveryView Delivery,
    IReadOnlyList<TimelineEvent> Timeline);

/// <summary>The one search box that takes either a full national ID or a full mobile number.</summary>
public static class IdentitySearch
{
    public enum Kind { NationalId, Phone }

    /// <summary>What is wrong with a search that is neither; also its key in <see cref="ApplicationsStrings"/>.</summary>
    public const string Problem = "Enter a full 18-character national ID or an 11-digit mobile number.";

    public static bool TryParse(string? text, out Kind kind, out string value, out string? error)
    {
        value = text?.Trim().Replace(" ", "", StringComparison.Ordinal) ?? "";
        kind = Kind.NationalId;
        error = null;
        if (MobileNumber.IsValid(value))
        {
            kind = Kind.Phone;
            return true;
        }
        if (ResidentId.TryParse(value, out var id, out _))
        {
            value = id.Value;
            return true;
        }
        error = Problem;
        return false;
    }
}
