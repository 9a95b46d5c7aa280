using System.Globalization;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Applications;

/// <summary>The words the console uses for deliveries, the same on the timeline, the delivery panel and the dashboard.</summary>
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

    public static string Answer(CallResult result) => result switch
    {
        CallResult.Accepted => "accepted",
        CallResult.Refused => "refused",
        CallResult.Timeout => "timed out",
        _ => "failed",
    };

    public static string Outcome(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.InFlight => "In flight",
        AttemptOutcome.TimedOut => "Timed out",
        _ => outcome.ToString(),
    };

    public static string Latency(int? milliseconds) =>
        milliseconds is { } ms ? ms.ToString("N0", CultureInfo.InvariantCulture) + " ms" : "–";

    public static string Bid(decimal price) => "¥" + price.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>
    /// The lender's redirect URL when it is a web address a browser may follow; anything else is shown as text only.
    /// Intake already drops other schemes, so this only guards the page against rows written some other way.
    /// </summary>
    public static string? SafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? url : null;
}
