using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Review;

/// <summary>What the reviewer narrowed the queue to; null means any.</summary>
public sealed record ReviewQueueFilter(string? Signal = null, SourceId? SourceId = null);

/// <summary>One open or claimed case as the queue lists it.</summary>
public sealed record ReviewQueueItem(
    Guid CaseId,
    int Version,
    ApplicationId ApplicationId,
    string MaskedName,
    decimal RequestedAmount,
    string SourceCode,
    DateTimeOffset OpenedAt,
    IReadOnlyList<string> Reasons,
    int Score,
    RiskTier Tier,
    Guid? ClusterId,
    int RingMembers,
    ReviewStatus Status,
    string? ClaimedBy);

public sealed record SourceOption(SourceId Id, string Code, string Name);

/// <summary>The queue after filtering, with the counts of the whole queue beside it.</summary>
public sealed record ReviewQueue(
    IReadOnlyList<ReviewQueueItem> Items,
    int TotalOpen,
    int Claimed,
    int ClaimedByMe,
    int InRings,
    DateTimeOffset? Oldest,
    IReadOnlyDictionary<string, int> SignalCounts,
    IReadOnlyList<SourceOption> Sources,
    DateTimeOffset LoadedAt,
    TimeSpan Sla)
{
    public SlaStanding StandingOf(DateTimeOffset openedAt) => WaitingCases.Standing(LoadedAt - openedAt, Sla);
}

/// <summary>One application of a ring, as the cluster graph draws it.</summary>
public sealed record ClusterNode(
    ApplicationId ApplicationId,
    string MaskedName,
    ApplicationStatus Status,
    Guid? CaseId,
    ReviewStatus? CaseStatus,
    string? ClaimedBy,
    bool IsCurrent);

/// <summary>One shared key (phone, device or national ID) and the applications that share it.</summary>
public sealed record ClusterEdge(LinkKind Kind, IReadOnlyList<ApplicationId> Applications);

public sealed record ClusterView(Guid ClusterId, int DistinctIdentities, IReadOnlyList<ClusterNode> Nodes, IReadOnlyList<ClusterEdge> Links)
{
    /// <summary>Cases of the ring still waiting for a decision; what "decide the whole ring" decides.</summary>
    public IReadOnlyList<ClusterNode> OpenCases =>
        [.. Nodes.Where(n => n.CaseId is not null && n.CaseStatus is ReviewStatus.Open or ReviewStatus.Claimed)];
}

/// <summary>Everything the case page shows: the case, the masked applicant, the decision record and the ring.</summary>
public sealed record ReviewCaseDetail(
    Guid CaseId,
    int Version,
    ReviewStatus Status,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Note,
    DateTimeOffset OpenedAt,
    IReadOnlyList<string> Reasons,
    ApplicationId ApplicationId,
    ApplicationStatus ApplicationStatus,
    ApplicantSummary Applicant,
    string SourceCode,
    string SourceName,
    DecisionRecord Record,
    ClusterView? Cluster,
    RoutedProduct? RoutedTo,
    IReadOnlyList<ProductRate>? Rates = null)
{
    public bool IsOpen => Status is ReviewStatus.Open or ReviewStatus.Claimed;

    /// <summary>The application's reference, as the applications pages show it (the case and its application have different ids).</summary>
    public string ExternalRef { get; init; } = "";

    /// <summary>How long a case may wait (see <see cref="WaitingCases.SlaAsync"/>).</summary>
    public TimeSpan Sla { get; init; }

    /// <summary>For a case still waiting: which products would take the applicant if approved now, eligible first.</summary>
    public IReadOnlyList<ProductEligibility>? Preview { get; init; }

    public bool NoProductWouldTakeIt => Preview is { } preview && !preview.Any(p => p.IsEligible);

    /// <summary>The declared APR of a product, by id, for the eligibility table.</summary>
    public AprRange? AprOf(ProductId product) => Rates?.FirstOrDefault(r => r.ProductId == product)?.Apr;
}

/// <summary>A product's declared annual rate range, and whether it lends for the applicant's purpose and is active.</summary>
public sealed record ProductRate(ProductId ProductId, string LenderCode, string ProductCode, AprRange? Apr, bool Offers);

/// <summary>The applicant with name, ID number and phone masked (the case page never reveals them).</summary>
public sealed record ApplicantSummary(
    string MaskedName,
    string MaskedNationalId,
    string MaskedPhone,
    string Province,
    string? City,
    int? Age,
    Employment Employment,
    decimal MonthlyIncome,
    decimal? ExistingMonthlyDebt,
    decimal RequestedAmount,
    int TermMonths,
    LoanPurpose Purpose);

public sealed record RoutedProduct(string LenderCode, string LenderName, string ProductCode, string ProductName)
{
    public override string ToString() => $"{LenderName} · {ProductName} ({ProductCode})";
}

/// <summary>The result of a claim or release: the new version on success, a message to show otherwise.</summary>
public sealed record ReviewActionResult(bool Succeeded, string? Message, int Version = 0)
{
    public static ReviewActionResult Fail(string message) => new(false, message);
}

/// <summary>What became of one decided case, with the product it was routed to (if any).</summary>
public sealed record DecidedCase(Guid CaseId, ApplicationId ApplicationId, string MaskedName, ApplicationStatus Status, RoutedProduct? RoutedTo);

public sealed record ReviewDecisionResult(bool Succeeded, string? Message, IReadOnlyList<DecidedCase> Cases)
{
    public static ReviewDecisionResult Fail(string message) => new(false, message, []);
}

/// <summary>What the decide dialog collected; a rejection may block the rejected applicants' keys.</summary>
public sealed record DecisionInput(string Note, bool WholeRing, LoanHub.Web.Features.Blocklists.BlockRequest? Block = null);
