using LoanHub.Core.Identity;

namespace LoanHub.Core.Domain;

/// <summary>
/// One applicant as posted by a traffic source, and where it stands. The status moves only through
/// the methods below, each of which keeps the rules of the flow (received → decided → maybe reviewed).
/// </summary>
public sealed class LoanApplication : IVersioned
{
    public ApplicationId Id { get; private set; }
    public SourceId SourceId { get; private set; }
    /// <summary>The source's own id for this applicant; unique per source, the idempotency key.</summary>
    public string ExternalRef { get; private set; } = "";
    /// <summary>Hash of the posted body, to tell a resubmission from a conflicting one.</summary>
    public string RequestHash { get; private set; } = "";
    public DateTimeOffset ReceivedAt { get; private set; }
    /// <summary>Keyed hash of the national ID: finds the same person without decrypting anything.</summary>
    public string IdentityHash { get; private set; } = "";
    /// <summary>Keyed hash of the phone number, for the same reason.</summary>
    public string PhoneHash { get; private set; } = "";
    /// <summary>Keyed hash of the device ID: the fraud checks match devices on it; the device ID itself is encrypted.</summary>
    public string DeviceHash { get; private set; } = "";
    /// <summary>Keyed hash of the IP address, for the same reason.</summary>
    public string IpHash { get; private set; } = "";
    public Applicant Applicant { get; private set; } = null!;
    public Consent Consent { get; private set; } = null!;
    public ApplicationStatus Status { get; private set; }
    /// <summary>Whether the fraud checks raised any signal at intake; kept on the row so counts need no join.</summary>
    public bool HasFraudSignals { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    /// <summary>When the retention policy erased what identifies the applicant (PIPL: kept no longer than needed).</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; private set; }
    /// <summary>The lender the lead was sold to, once routed; kept on the row so the list filters by lender in its own index.</summary>
    public LenderId? RoutedLenderId { get; private set; }
    /// <summary>Why no lender took the application, when it ended Unmatched.</summary>
    public UnmatchedCause? UnmatchedCause { get; private set; }
    public int Version { get; private set; }

    private LoanApplication() { }

    public LoanApplication(SourceId sourceId, string externalRef, string requestHash, DateTimeOffset receivedAt,
        Applicant applicant, Consent consent, LookupHashes hashes)
    {
        if (string.IsNullOrWhiteSpace(externalRef) || externalRef.Length > 64)
            throw new DomainException("The external reference must be 1–64 characters.");
        if (!consent.CreditCheck || !consent.ShareWithLenders)
            throw new DomainException("Consent to the credit check and to sharing with lenders is required.");
        Id = ApplicationId.New();
        SourceId = sourceId;
        ExternalRef = externalRef;
        RequestHash = requestHash;
        ReceivedAt = receivedAt;
        IdentityHash = hashes.Identity;
        PhoneHash = hashes.Phone;
        DeviceHash = hashes.Device;
        IpHash = hashes.Ip;
        Applicant = applicant;
        Consent = consent;
        Status = ApplicationStatus.Received;
    }

    public void RecordFraudSignals(int count) => HasFraudSignals = count > 0;

    /// <summary>
    /// What takes the place of the source's reference once the retention policy erased the applicant: unique per
    /// application (the (source, reference) index stays valid) and saying nothing about the person.
    /// </summary>
    public static string ErasedExternalRef(ApplicationId id) => ErasedExternalRefPrefix + id;

    public const string ErasedExternalRefPrefix = "erased:";

    public bool IsDecided => Status is not (ApplicationStatus.Received or ApplicationStatus.InReview);

    public void MarkRouted(LenderId lender, DateTimeOffset at)
    {
        Decide(ApplicationStatus.Routed, at, allowFromReview: true);
        RoutedLenderId = lender;
    }

    public void MarkUnmatched(DateTimeOffset at, UnmatchedCause cause = Domain.UnmatchedCause.NoEligibleProduct)
    {
        Decide(ApplicationStatus.Unmatched, at, allowFromReview: true);
        UnmatchedCause = cause;
    }
    public void MarkRejected(DateTimeOffset at) => Decide(ApplicationStatus.Rejected, at, allowFromReview: true);
    public void MarkDuplicate(DateTimeOffset at) => Decide(ApplicationStatus.Duplicate, at, allowFromReview: false);

    public void HoldForReview(DateTimeOffset at)
    {
        if (Status != ApplicationStatus.Received)
            throw new DomainException($"Only a received application can go to review; this one is {Status}.");
        Status = ApplicationStatus.InReview;
        DecidedAt = at;
    }

    private void Decide(ApplicationStatus status, DateTimeOffset at, bool allowFromReview)
    {
        var allowed = Status == ApplicationStatus.Received || (allowFromReview && Status == ApplicationStatus.InReview);
        if (!allowed)
            throw new DomainException($"The application is already {Status} and cannot become {status}.");
        Status = status;
        DecidedAt = at;
    }
}

/// <summary>Keyed hashes (HMAC) of what the fraud checks match applicants on, so neither they nor the store need the clear values.</summary>
public sealed record LookupHashes(string Identity, string Phone, string Device, string Ip);

/// <summary>What the applicant told us. Name, ID number, phone, device and IP address are encrypted by the store.</summary>
public sealed record Applicant(
    string FullName,
    string NationalId,
    string Phone,
    string ProvinceCode,
    string? City,
    decimal MonthlyIncome,
    decimal? ExistingMonthlyDebt,
    Employment Employment,
    decimal RequestedAmount,
    int TermMonths,
    LoanPurpose Purpose,
    string DeviceId,
    string IpAddress,
    int? BureauScore)
{
    public ResidentId ResidentId => ResidentId.Parse(NationalId);
    public DateOnly BirthDate => ResidentId.BirthDate;
    public int AgeOn(DateOnly today) => ResidentId.AgeOn(today);
    /// <summary>The age on <paramref name="day"/>, or null once the national ID has been erased.</summary>
    public int? KnownAgeOn(DateOnly day) => ResidentId.TryParse(NationalId, out var id, out _) ? id.AgeOn(day) : null;
}

/// <summary>Consent per purpose, with the exact wording the applicant saw (PIPL evidence).</summary>
public sealed record Consent(bool CreditCheck, bool ShareWithLenders, bool Marketing, string Text);
