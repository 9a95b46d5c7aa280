using LoanHub.Core.Engine;

namespace LoanHub.Core.Domain;

/// <summary>
/// One blocked key — a national ID, phone or device, held only as its keyed look-up hash — with why, by whom and until
/// when. A new applicant carrying an active key gets the signal <see cref="FraudSignal.Blocklisted"/>. It stops matching
/// when it expires or an admin lifts it; lifted and expired entries stay listed, with how many applicants they stopped.
/// </summary>
public sealed class BlocklistEntry : IVersioned
{
    public const int DefaultDays = 180;
    /// <summary>Two years: longer than that a reviewer's suspicion is no reason to keep someone's (hashed) identifier.</summary>
    public const int MaxDays = 730;
    public const int MaxReasonLength = 500;

    public Guid Id { get; private set; }
    public LinkKind Kind { get; private set; }
    /// <summary>The keyed hash (HMAC) of the blocked value, as the applications store it; never the value.</summary>
    public string KeyHash { get; private set; } = "";
    public string Reason { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset Until { get; private set; }
    /// <summary>The review case whose rejection blocked the key.</summary>
    public Guid? ReviewCaseId { get; private set; }
    public string? LiftedBy { get; private set; }
    public DateTimeOffset? LiftedAt { get; private set; }
    public string? LiftReason { get; private set; }
    /// <summary>Applicants this entry stopped; counted by the writer in the same transaction as their decision.</summary>
    public int Stopped { get; private set; }
    public int Version { get; private set; }

    private BlocklistEntry() { }

    public BlocklistEntry(LinkKind kind, string keyHash, string reason, string createdBy, DateTimeOffset createdAt, int days, Guid? reviewCaseId)
    {
        if (string.IsNullOrWhiteSpace(keyHash)) throw new DomainException("A blocked key needs its look-up hash.");
        if (DaysProblem(days) is { } problem) throw new DomainException(problem);
        Id = Guid.CreateVersion7();
        Kind = kind;
        KeyHash = keyHash;
        Reason = Checked(reason, "A block needs a reason.");
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        Until = createdAt.AddDays(days);
        ReviewCaseId = reviewCaseId;
    }

    /// <summary>The broken rule for a block's length in days, or null when it is 1 to <see cref="MaxDays"/>.</summary>
    public static string? DaysProblem(int days) =>
        days is < 1 or > MaxDays ? $"A block lasts 1 to {MaxDays} days." : null;

    public bool IsLifted => LiftedAt is not null;

    public bool IsActiveAt(DateTimeOffset at) => !IsLifted && at < Until;

    public void Lift(string admin, string reason, DateTimeOffset at)
    {
        if (IsLifted) throw new DomainException($"This entry was already lifted by {LiftedBy}.");
        if (at >= Until) throw new DomainException("This entry has expired; it no longer blocks anyone.");
        LiftReason = Checked(reason, "Lifting a block needs a reason.");
        LiftedBy = admin;
        LiftedAt = at;
    }

    private static string Checked(string text, string missing)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new DomainException(missing);
        var trimmed = text.Trim();
        return trimmed.Length <= MaxReasonLength ? trimmed : trimmed[..MaxReasonLength];
    }
}
