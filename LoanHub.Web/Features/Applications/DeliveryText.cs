using System.Globalization;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

/// <summary>
/// The words the console uses for deliveries, the same on the timeline, the delivery panel and the dashboard. The English
/// is the key of <see cref="ApplicationsStrings"/>; the localizer overloads word it in the reader's language.
/// </summary>
public static class DeliveryText
{
    public const string InProgress = "Delivery in progress";
    public const string PullLender = "Pull lender: fetched through the leads API";
    public const string Waiting = "waiting for the answer";

    public static string Cause(UnmatchedCause cause) => cause switch
    {
        UnmatchedCause.NoEligibleProduct => "No eligible product",
        UnmatchedCause.RefusedByAll => "Refused by every eligible lender",
        _ => "Delivery deadline passed",
    };

    /// <summary>A call's answer as it reads in a sentence ("accepted · 120 ms").</summary>
    public static string Answer(CallResult result) => ApplicationText.InSentence(AnswerKey(result));

    // The same words as the attempts' outcomes, so one entry serves the chip and the sentence.
    private static string AnswerKey(CallResult result) => result switch
    {
        CallResult.Accepted => "Accepted",
        CallResult.Refused => "Refused",
        CallResult.Timeout => "Timed out",
        _ => "Failed",
    };

    public static string Outcome(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.InFlight => "In flight",
        AttemptOutcome.TimedOut => "Timed out",
        _ => outcome.ToString(),
    };

    public static string Cause(this IStringLocalizer<ApplicationsStrings> L, UnmatchedCause cause) => L[Cause(cause)];

    public static string Answer(this IStringLocalizer<ApplicationsStrings> L, CallResult result) => ApplicationText.InSentence(L[AnswerKey(result)]);

    public static string Outcome(this IStringLocalizer<ApplicationsStrings> L, AttemptOutcome outcome) => L[Outcome(outcome)];

    public static string Latency(int? milliseconds) =>
        milliseconds is { } ms ? ms.ToString("N0", CultureInfo.InvariantCulture) + " ms" : "–";

    public static string Bid(decimal price) => ConsoleFormat.Money(price);

    /// <summary>
    /// The lender's redirect URL when it is a web address a browser may follow; anything else is shown as text only.
    /// Intake already drops other schemes, so this only guards the page against rows written some other way.
    /// </summary>
    public static string? SafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? url : null;
}
