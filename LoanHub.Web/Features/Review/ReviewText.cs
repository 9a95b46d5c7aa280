using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Review;

/// <summary>Reviewer-facing words for the codes and times the queue shows.</summary>
public static class ReviewText
{
    private static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [FraudSignal.DeviceShared] = "Several national IDs applied from the same device.",
        [FraudSignal.PhoneShared] = "Several national IDs gave the same phone number.",
        [FraudSignal.Ring] = "Part of a ring of identities linked by phone, device or ID.",
        [FraudSignal.IpVelocity] = "Many applications from one IP address in a short time.",
        [FraudSignal.AmountToIncome] = "The amount asked is high against the stated income.",
        [FraudSignal.Blocklisted] = "The national ID, phone or device is on the blocklist.",
        [FraudSignal.Duplicate] = "The same national ID was routed recently.",
        [FraudSignal.Underage] = "The applicant is under 18.",
        [DecisionPolicy.ScoreGreyBand] = "The score is in the grey band between reject and route.",
        [DecisionPolicy.ScoreBelowFloor] = "The score is below the reject floor.",
        [DecisionPolicy.TierRejected] = "The risk tier is rejected by policy.",
    };

    public static string Describe(string code) => Descriptions.TryGetValue(code, out var text) ? text : code;

    /// <summary>"45 min", "3 h 20 min", "2 d 4 h": precise enough to sort by eye, short enough for a chip.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        if (age.TotalMinutes < 1) return "just now";
        if (age.TotalHours < 1) return $"{age.Minutes} min";
        if (age.TotalDays < 1) return age.Minutes == 0 ? $"{age.Hours} h" : $"{age.Hours} h {age.Minutes} min";
        return age.Hours == 0 ? $"{(int)age.TotalDays} d" : $"{(int)age.TotalDays} d {age.Hours} h";
    }

    public static string LinkLabel(LinkKind kind) => kind switch
    {
        LinkKind.NationalId => "National ID",
        LinkKind.Phone => "Phone",
        _ => "Device",
    };
}
