namespace LoanHub.Core.Engine;

/// <summary>Thresholds of the fraud checks; the defaults are the ones agreed for launch (issue 3).</summary>
public sealed record FraudPolicy
{
    /// <summary>The same national ID routed within this long before → Duplicate (not routed, not billed twice).</summary>
    public TimeSpan DuplicateLookback { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan DeviceWindow { get; init; } = TimeSpan.FromDays(7);
    /// <summary>Distinct national IDs on one device within <see cref="DeviceWindow"/>, this application included.</summary>
    public int DeviceSharedMinIdentities { get; init; } = 3;

    /// <summary>Distinct national IDs ever seen with one phone, this application included (no window: see <see cref="FraudIndex"/>).</summary>
    public int PhoneSharedMinIdentities { get; init; } = 2;

    public TimeSpan IpWindow { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Applications from one IP within <see cref="IpWindow"/>, this application included.</summary>
    public int IpVelocityMinApplications { get; init; } = 20;

    /// <summary>Distinct national IDs in one linked component (shared phone, device or ID) that make it a ring.</summary>
    public int RingMinIdentities { get; init; } = 3;

    public int MinimumAge { get; init; } = 18;
    /// <summary>Requested amount above this many months of income → review.</summary>
    public decimal MaxAmountToMonthlyIncome { get; init; } = 30m;

    /// <summary>
    /// An applicant whose national ID, phone or device is on the blocklist is rejected; with this set, held for review instead.
    /// </summary>
    public bool BlocklistedToReview { get; init; }

    public static FraudPolicy Default { get; } = new();

    /// <summary>The longest time any windowed check looks back; <see cref="FraudIndex.Prune"/> drops what is older.</summary>
    public TimeSpan LongestWindow => new[] { DuplicateLookback, DeviceWindow, IpWindow }.Max();
}
