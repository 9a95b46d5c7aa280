using System.Globalization;
using System.Text.RegularExpressions;
using LoanHub.Core.Domain;
using LoanHub.Core.Identity;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

/// <summary>
/// The sentences the engine writes in English into the decision record — why a product is ineligible, what a fraud
/// signal found, how an auction ran, why a candidate sat out — in the reader's language. The record keeps the engine's
/// English: it is the evidence of the decision and what the API returns. Each sentence's English shape is a resource
/// key of <see cref="ApplicationsStrings"/>; its placeholders are read back out of the stored text and shown as the
/// console shows such values (money as ¥, a province by name, an employment as words). A sentence no shape matches
/// (an older engine's) is shown as stored.
/// </summary>
public static partial class EngineSentences
{
    private enum Part { Text, Money, Duration, Employment, Purpose, Purposes, Province, Kinds, Time }

    private sealed record Sentence(StoredSentence Shape, Part[] Parts);

    private static Sentence S(string key, params Part[] parts)
    {
        var shape = new StoredSentence(key);
        if (shape.Placeholders != parts.Length) throw new ArgumentException($"\"{key}\" has {shape.Placeholders} placeholders and {parts.Length} parts.", nameof(parts));
        return new(shape, parts);
    }

    private const Part Text = Part.Text, Money = Part.Money;

    /// <summary>Every shape the engine writes (Eligibility, Allocators, FraudIndex, ApplicantChecks, Blocklist, the auction's placement).</summary>
    private static readonly Sentence[] Known =
    [
        S("The lender is paused."),
        S("The product is paused."),
        S("Amount {0} is outside {1}–{2}.", Money, Money, Money),
        S("Term {0} months is outside {1}–{2}.", Text, Text, Text),
        S("Age {0} is outside {1}–{2}.", Text, Text, Text),
        S("Score {0} is below the minimum {1}.", Text, Text),
        S("Monthly income {0} is below the minimum {1}.", Money, Money),
        S("Province {0} is not served.", Part.Province),
        S("Employment {0} is not accepted.", Part.Employment),
        S("Purpose {0} is not lent for (only {1}).", Part.Purpose, Part.Purposes),
        S("Tier {0} is worse than the maximum {1}.", Text, Text),
        S("Daily cap of {0} leads reached.", Text),
        S("Monthly budget {0} cannot take {1} more (committed {2}).", Money, Money, Money),
        S("No eligible product."),
        S("None of the {0} eligible products has a positive weight.", Text),
        S("weight 0: receives no leads"),
        S("below priority level {0}", Text),
        S("Auction: every eligible lender is asked for a price; before bids, {0} leads at {1}, ahead of {2} at {3}.", Text, Money, Text, Money),
        S("Auction: every eligible lender is asked for a price; before bids, {0} leads at {1}, the only bidder.", Text, Money),
        S("Auction: {0} bid {1}, the best of {2} standing bid(s): {3}.", Text, Money, Text, Text),
        S("The same national ID was routed on {0} (within {1}).", Part.Time, Part.Duration),
        S("The same national ID is being delivered to a lender now."),
        S("{0} national IDs used this device within {1}.", Text, Part.Duration),
        S("{0} national IDs used this phone number.", Text),
        S("{0} applications came from this IP address within {1}.", Text, Part.Duration),
        S("Linked by shared phone, device or ID to {0} other applications ({1} national IDs); ring {2}.", Text, Text, Text),
        S("The ID's birth date makes the applicant {0}, under {1}.", Text, Text),
        S("The requested amount is more than {0} times the declared monthly income.", Text),
        S("The applicant's {0} is on the blocklist until {1}.", Part.Kinds, Text),
        S("The applicant's {0} are on the blocklist until {1}.", Part.Kinds, Text),
    ];

    /// <summary>The resource keys, for the test that every one has Chinese with the same placeholders.</summary>
    public static IEnumerable<string> Keys => Known.Select(s => s.Shape.Key);

    /// <summary>What the engine wrote, in the reader's language; as stored when no shape matches.</summary>
    public static string Words(IStringLocalizer<ApplicationsStrings> L, string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return stored ?? string.Empty;
        foreach (var sentence in Known)
        {
            if (!sentence.Shape.TryRead(stored, out var read)) continue;
            var values = sentence.Parts.Select((part, i) => Value(L, part, read[i])).ToArray();
            if (values.Any(v => v is null)) continue;
            return L[sentence.Shape.Key, values!];
        }
        return stored;
    }

    private static string? Value(IStringLocalizer<ApplicationsStrings> L, Part part, string text) => part switch
    {
        Part.Money => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? ConsoleFormat.Money(amount) : null,
        Part.Province => Provinces.IsKnown(text) ? L.Province(Provinces.NameOf(text)) : text,
        Part.Employment => Named<Employment>(text) is { } employment ? L.Employment(employment) : null,
        Part.Purpose => Named<LoanPurpose>(text) is { } purpose ? L.Purpose(purpose) : null,
        Part.Purposes => text.Split(", ").Select(p => Named<LoanPurpose>(p) is { } purpose ? L.Purpose(purpose) : null).ToList() is var names && names.All(n => n is not null)
            ? string.Join(L[", "], names) : null,
        Part.Kinds => text.Split(" and ").Select(k => Kind(L, k)).ToList() is var kinds && kinds.All(k => k is not null)
            ? kinds.Skip(1).Aggregate(kinds[0]!, (all, next) => L["{0} and {1}", all, next!]) : null,
        Part.Duration => Duration(L, text),
        Part.Time => DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? ChinaTime.Format(at) : null,
        _ => text,
    };

    private static T? Named<T>(string name) where T : struct, Enum =>
        Enum.GetNames<T>().Contains(name, StringComparer.Ordinal) ? Enum.Parse<T>(name) : null;

    private static string? Kind(IStringLocalizer<ApplicationsStrings> L, string kind) => kind switch
    {
        "national ID" => ApplicationText.InSentence(L["National ID"]),
        "phone" => ApplicationText.InSentence(L["Phone"]),
        "device" => ApplicationText.InSentence(L["Device"]),
        _ => null,
    };

    private static string? Duration(IStringLocalizer<ApplicationsStrings> L, string text)
    {
        if (DurationShape().Match(text) is not { Success: true } match) return null;
        var n = match.Groups["n"].Value;
        var one = n == "1";
        return match.Groups["unit"].Value switch
        {
            "day" => one ? L["{0} day", n] : L["{0} days", n],
            "hour" => one ? L["{0} hour", n] : L["{0} hours", n],
            _ => one ? L["{0} minute", n] : L["{0} minutes", n],
        };
    }

    [GeneratedRegex(@"^(?<n>\d+) (?<unit>day|hour|minute)s?$")]
    private static partial Regex DurationShape();
}
