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
    string? ProductCode);

/// <param name="Total">
/// Matching applications, counted exactly up to <see cref="ApplicationsService.CountCap"/>. Past the cap, a lower bound:
/// more than the cap, and at least one row beyond this page when another page follows.
/// </param>
/// <param name="TotalIsCapped">True when there are more than the cap; the pager then shows "2,000+" and pages on while pages are full.</param>
public sealed record ApplicationPage(IReadOnlyList<ApplicationRow> Rows, int Total, bool TotalIsCapped);

public sealed record FilterChoice<TId>(TId Id, string Code, string Name);

public sealed record ApplicationFilterOptions(IReadOnlyList<FilterChoice<SourceId>> Sources, IReadOnlyList<FilterChoice<LenderId>> Lenders);

public enum PersonalField { Name, NationalId, Phone }

public enum TimelineKind { Received, Scored, Signal, Review, Routed, Outcome, Commission, Closed }

public sealed record TimelineEvent(DateTimeOffset At, TimelineKind Kind, string Title, string? Detail, decimal? Amount = null);

public sealed record ReviewSummary(DateTimeOffset OpenedAt, IReadOnlyList<string> Reasons, ReviewStatus Status, string? ClaimedBy,
    DateTimeOffset? ClaimedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? Note, Guid? ClusterId);

public sealed record AllocationSummary(string LenderCode, string LenderName, string ProductCode, string ProductName, RoutingStrategy Strategy,
    DateTimeOffset AllocatedAt, decimal ExpectedCommission, DeliveryStatus Status, decimal? FundedAmount, decimal CommissionEarned);

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
    string DeviceId,
    string IpAddress,
    int? BureauScore,
    Consent Consent,
    DecisionRecord? Record,
    ReviewSummary? Review,
    AllocationSummary? Allocation,
    IReadOnlyList<TimelineEvent> Timeline);

/// <summary>The one search box that takes either a full national ID or a full mobile number.</summary>
public static class IdentitySearch
{
    public enum Kind { NationalId, Phone }

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
        error = "Enter a full 18-character national ID or an 11-digit mobile number.";
        return false;
    }
}
