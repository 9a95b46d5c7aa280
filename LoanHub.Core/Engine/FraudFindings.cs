using System.Text.Json.Serialization;
using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Core.Engine;

/// <summary>What a signal asks of the decision; ordered from mildest to strongest.</summary>
public enum SignalSeverity { Review, Reject, Duplicate }

/// <summary>One fraud or consistency finding, with a stable <see cref="Code"/> and a reviewer-facing detail.</summary>
public sealed record FraudSignal(string Code, SignalSeverity Severity, string Detail)
{
    public const string Duplicate = "DUPLICATE";
    public const string DeviceShared = "DEVICE_SHARED";
    public const string PhoneShared = "PHONE_SHARED";
    public const string IpVelocity = "IP_VELOCITY";
    public const string Ring = "RING";
    public const string Underage = "UNDERAGE";
    public const string AmountToIncome = "AMOUNT_TO_INCOME";
    /// <summary>The applicant's national ID, phone or device is on the blocklist (<see cref="Blocklist"/>).</summary>
    public const string Blocklisted = "BLOCKLISTED";
}

/// <summary>Everything the fraud checks found about one application. Never shown to traffic sources.</summary>
public sealed record FraudFindings(IReadOnlyList<FraudSignal> Signals, FraudCluster? Cluster)
{
    public static FraudFindings None { get; } = new([], null);

    [JsonIgnore]
    public bool IsDuplicate => Signals.Any(s => s.Severity == SignalSeverity.Duplicate);

    public FraudFindings With(IEnumerable<FraudSignal> more) => this with { Signals = [.. Signals, .. more] };
}

public enum LinkKind { NationalId, Phone, Device }

/// <summary>
/// A ring: applications connected through shared national IDs, phones or devices, decided as a whole
/// in the review queue.
/// </summary>
/// <param name="ClusterId">
/// The application id of the ring's earliest member (by received time, then id). It stays the same as the
/// ring grows; when two rings merge, the merged ring keeps the older ring's id.
/// </param>
/// <param name="Links">One entry per shared phone, device or national ID, naming the applications that share it.</param>
public sealed record FraudCluster(
    Guid ClusterId,
    int DistinctIdentities,
    IReadOnlyList<ClusterMember> Members,
    IReadOnlyList<ClusterLink> Links);

public sealed record ClusterMember(ApplicationId ApplicationId, DateTimeOffset ReceivedAt);

public sealed record ClusterLink(LinkKind Kind, IReadOnlyList<ApplicationId> Applications);

/// <summary>
/// The keys of one application the fraud index links on. National ID, phone, device and IP arrive as keyed
/// hashes (HMAC) so the index, like the store, never holds them in clear.
/// </summary>
public sealed record ApplicationFingerprint(
    ApplicationId ApplicationId,
    string IdentityHash,
    string PhoneHash,
    string DeviceHash,
    string IpHash,
    DateTimeOffset ReceivedAt);
