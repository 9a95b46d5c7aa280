using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// The thresholds an applicant is decided by: the score and tier bands (<see cref="DecisionPolicy"/>) and the fraud checks
/// (<see cref="FraudPolicy"/>). One version is active at a time (<see cref="RiskPolicyVersion"/>); the engine reads it from
/// its catalog snapshot.
/// </summary>
public sealed record RiskPolicy(DecisionPolicy Decision, FraudPolicy Fraud)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static RiskPolicy Default { get; } = new(DecisionPolicy.Default, FraudPolicy.Default);

    /// <summary>The most a look-back may reach: the fraud history the engine keeps (180 days).</summary>
    public const int MaxDuplicateLookbackDays = 180;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RiskPolicy FromJson(string json) =>
        JsonSerializer.Deserialize<RiskPolicy>(json, Json) ?? throw new DomainException("A stored risk policy could not be read.");

    /// <summary>Equal for policies with equal thresholds: what a backtest receipt names.</summary>
    [JsonIgnore]
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("risk|" + ToJson())));

    /// <summary>
    /// True when the fraud checks that read history (duplicate, shared device and phone, IP velocity, ring) judge as under
    /// <paramref name="other"/>: a backtest then reads the stored signals instead of replaying the history.
    /// </summary>
    public bool SameHistoryChecksAs(RiskPolicy other) =>
        Fraud.DuplicateLookback == other.Fraud.DuplicateLookback
        && Fraud.DeviceWindow == other.Fraud.DeviceWindow && Fraud.DeviceSharedMinIdentities == other.Fraud.DeviceSharedMinIdentities
        && Fraud.PhoneSharedMinIdentities == other.Fraud.PhoneSharedMinIdentities
        && Fraud.IpWindow == other.Fraud.IpWindow && Fraud.IpVelocityMinApplications == other.Fraud.IpVelocityMinApplications
        && Fraud.RingMinIdentities == other.Fraud.RingMinIdentities;

    /// <summary>What is wrong with these thresholds, field by field (empty when they can be saved).</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>();
        void Check(bool wrong, string field, string message)
        {
            if (wrong) problems.TryAdd(field, message);
        }
        Check(Decision.RejectBelowScore is < 0 or > 1_000, nameof(DecisionPolicy.RejectBelowScore), "Enter a score from 0 to 1,000");
        Check(Decision.ReviewBelowScore is < 0 or > 1_000, nameof(DecisionPolicy.ReviewBelowScore), "Enter a score from 0 to 1,000");
        Check(Decision.ReviewBelowScore <= Decision.RejectBelowScore, nameof(DecisionPolicy.ReviewBelowScore),
            "Must be above \"reject below\": scores in between go to review");
        Check(!Enum.IsDefined(Decision.RejectFromTier), nameof(DecisionPolicy.RejectFromTier), "Pick a tier from A to E");
        Check(Fraud.DeviceSharedMinIdentities is < 2 or > 100, nameof(FraudPolicy.DeviceSharedMinIdentities), "Enter 2 to 100 national IDs");
        Check(Fraud.PhoneSharedMinIdentities is < 2 or > 100, nameof(FraudPolicy.PhoneSharedMinIdentities), "Enter 2 to 100 national IDs");
        Check(Fraud.IpVelocityMinApplications is < 2 or > 10_000, nameof(FraudPolicy.IpVelocityMinApplications), "Enter 2 to 10,000 applications");
        Check(Fraud.RingMinIdentities is < 2 or > 1_000, nameof(FraudPolicy.RingMinIdentities), "Enter 2 to 1,000 national IDs");
        Check(Fraud.DuplicateLookback < TimeSpan.FromDays(1) || Fraud.DuplicateLookback > TimeSpan.FromDays(MaxDuplicateLookbackDays),
            nameof(FraudPolicy.DuplicateLookback), string.Create(CultureInfo.InvariantCulture, $"Enter 1 to {MaxDuplicateLookbackDays} days"));
        Check(Fraud.MaxAmountToMonthlyIncome is <= 0m or > 1_000m || !Money.HasAtMostTwoPlaces(Fraud.MaxAmountToMonthlyIncome),
            nameof(FraudPolicy.MaxAmountToMonthlyIncome), "Enter more than 0 and at most 1,000, with at most 2 decimals");
        Check(Fraud.DeviceWindow <= TimeSpan.Zero || Fraud.DeviceWindow > TimeSpan.FromDays(MaxDuplicateLookbackDays),
            nameof(FraudPolicy.DeviceWindow), "The device window must be positive and at most 180 days");
        Check(Fraud.IpWindow <= TimeSpan.Zero || Fraud.IpWindow > TimeSpan.FromDays(1), nameof(FraudPolicy.IpWindow), "The IP window must be positive and at most a day");
        Check(Fraud.MinimumAge is < 18 or > 100, nameof(FraudPolicy.MinimumAge), "The minimum age is at least 18");
        return problems;
    }

    /// <summary>What changes from <paramref name="before"/> to this policy, one line per threshold, for the audit.</summary>
    public IReadOnlyList<string> ChangesFrom(RiskPolicy before) => [.. Differences(before).Select(change => change.ToString())];

    /// <summary>The thresholds that differ from <paramref name="before"/>, each named and valued as <see cref="ThresholdChange"/> says.</summary>
    public IReadOnlyList<ThresholdChange> Differences(RiskPolicy before)
    {
        var changes = new List<ThresholdChange>();
        void Compare<T>(string name, T was, T now, Func<T, string> show)
        {
            if (!EqualityComparer<T>.Default.Equals(was, now)) changes.Add(new ThresholdChange(name, show(was), show(now)));
        }
        static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
        Compare("Reject below score", before.Decision.RejectBelowScore, Decision.RejectBelowScore, Number);
        Compare("Review below score", before.Decision.ReviewBelowScore, Decision.ReviewBelowScore, Number);
        Compare("Reject from tier", before.Decision.RejectFromTier, Decision.RejectFromTier, t => t.ToString());
        Compare("Shared device: national IDs", before.Fraud.DeviceSharedMinIdentities, Fraud.DeviceSharedMinIdentities, Number);
        Compare("Shared phone: national IDs", before.Fraud.PhoneSharedMinIdentities, Fraud.PhoneSharedMinIdentities, Number);
        Compare("IP velocity: applications", before.Fraud.IpVelocityMinApplications, Fraud.IpVelocityMinApplications, Number);
        Compare("Ring: national IDs", before.Fraud.RingMinIdentities, Fraud.RingMinIdentities, Number);
        Compare("Duplicate look-back (days)", before.Fraud.DuplicateLookback, Fraud.DuplicateLookback, d => d.TotalDays.ToString("0.##", CultureInfo.InvariantCulture));
        Compare("Amount to monthly income", before.Fraud.MaxAmountToMonthlyIncome, Fraud.MaxAmountToMonthlyIncome, m => m.ToString("0.##", CultureInfo.InvariantCulture));
        Compare("Blocklisted applicants", before.Fraud.BlocklistedToReview, Fraud.BlocklistedToReview, b => b ? "review" : "reject");
        Compare("Device window", before.Fraud.DeviceWindow, Fraud.DeviceWindow, d => d.ToString());
        Compare("IP window", before.Fraud.IpWindow, Fraud.IpWindow, d => d.ToString());
        Compare("Minimum age", before.Fraud.MinimumAge, Fraud.MinimumAge, Number);
        return changes;
    }
}

/// <summary>
/// One threshold a new version changes. The name and the words among the values ("review", "reject") are English, which the
/// audit stores and the console translates where it shows them; numbers are written invariantly.
/// </summary>
public sealed record ThresholdChange(string Threshold, string Before, string After)
{
    public override string ToString() => $"{Threshold}: {Before} → {After}";
}
