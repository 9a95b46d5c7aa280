using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Review;

/// <summary>
/// Reviewer-facing words for the codes and times the queue shows. The English sentences are the keys of
/// <see cref="ReviewStrings"/>; the localizer overloads put them into the circuit's language.
/// </summary>
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

    /// <summary>A code in a few words, for chips and filters; the sentence of <see cref="Describe"/> goes in their tooltip.</summary>
    private static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [FraudSignal.DeviceShared] = "Shared device",
        [FraudSignal.PhoneShared] = "Shared phone",
        [FraudSignal.Ring] = "Fraud ring",
        [FraudSignal.IpVelocity] = "IP velocity",
        [FraudSignal.AmountToIncome] = "Amount vs income",
        [FraudSignal.Blocklisted] = "Blocklisted",
        [FraudSignal.Duplicate] = "Duplicate",
        [FraudSignal.Underage] = "Under 18",
        [DecisionPolicy.ScoreGreyBand] = "Grey-band score",
        [DecisionPolicy.ScoreBelowFloor] = "Score below floor",
        [DecisionPolicy.TierRejected] = "Tier rejected",
    };

    public static string Name(this IStringLocalizer<ReviewStrings> L, string code) =>
        Names.TryGetValue(code, out var text) ? L[text] : code;

    /// <summary>The codes the queue explains, for the test that every one has its words in both languages.</summary>
    public static IEnumerable<string> DescribedCodes => Descriptions.Keys;

    /// <summary>The codes the queue names, for the same test.</summary>
    public static IEnumerable<string> NamedCodes => Names.Keys;

    public static string Describe(this IStringLocalizer<ReviewStrings> L, string code) =>
        Descriptions.TryGetValue(code, out var text) ? L[text] : code;

    /// <summary>A review case's state; "Waiting" rather than "Open", which is the button that opens a case.</summary>
    public static string Status(this IStringLocalizer<ReviewStrings> L, ReviewStatus status) => status switch
    {
        ReviewStatus.Open => L["Waiting"],
        ReviewStatus.Claimed => L["Claimed"],
        ReviewStatus.Approved => L["Approved"],
        _ => L["Rejected"],
    };

    /// <summary>The English name of a link kind, also its key in <see cref="ReviewStrings"/>.</summary>
    public static string LinkLabel(LinkKind kind) => kind switch
    {
        LinkKind.NationalId => "National ID",
        LinkKind.Phone => "Phone",
        _ => "Device",
    };

    public static string LinkLabel(this IStringLocalizer<ReviewStrings> L, LinkKind kind) => L[LinkLabel(kind)];
}
