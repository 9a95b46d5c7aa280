using LoanHub.Core.Delivery;
using LoanHub.Web.Features.Delivery;

namespace LoanHub.Web.Features.Lenders;

/// <summary>The names the delivery form's fields go by; they are the names <see cref="LenderDelivery.Create"/> puts in front of its messages.</summary>
public static class DeliveryFields
{
    public const string PrecheckUrl = "precheckUrl";
    public const string PostUrl = "postUrl";
    public const string TimeoutMs = "timeoutMs";

    public static string LabelOf(string field) => field switch
    {
        PrecheckUrl => "The pre-check URL",
        PostUrl => "The post URL",
        TimeoutMs => "The timeout (ms)",
        _ => "The value",
    };
}

/// <summary>How a lender receives its leads, as the console shows it: never the secret, only whether one is set.</summary>
public sealed record DeliverySettings(
    string LenderCode,
    string LenderName,
    int Version,
    string? PrecheckUrl,
    string? PostUrl,
    int TimeoutMs,
    bool SecretSet,
    bool IsActive,
    string? AutoPausedReason)
{
    public bool IsPush => PostUrl is not null;
}

/// <summary>
/// The outcome of a change to a lender's delivery: the message to show, the form's field errors (field → message),
/// and, once, a freshly generated signing secret.
/// </summary>
public sealed record DeliveryChange(CatalogStatus Status, string? Message, IReadOnlyDictionary<string, string> FieldErrors, string? NewSecret = null)
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    public bool Succeeded => Status == CatalogStatus.Ok;

    public static DeliveryChange Of(CatalogResult result, string? newSecret = null) =>
        new(result.Status, result.Message, NoErrors, result.Succeeded ? newSecret : null);

    public static DeliveryChange Invalid(IReadOnlyDictionary<string, string> fieldErrors) =>
        new(CatalogStatus.Invalid, "Correct the fields marked in red.", fieldErrors);
}

/// <summary>
/// What came of a test pre-check: <see cref="Problem"/> when nothing could be sent (no pre-check URL, no delivery),
/// otherwise the lender's answer as <see cref="LenderClient"/> read it, with the start of the raw body.
/// </summary>
public sealed record TestPrecheckResult(string? Problem, string? Url, LenderAnswer? Answer)
{
    public bool Sent => Answer is not null;

    public static TestPrecheckResult NotSent(string problem) => new(problem, null, null);
}

/// <summary>A lender's delivery figures over the health window, with its latency minute by minute for the chart.</summary>
public sealed record LenderHealthView(
    string LenderCode,
    string LenderName,
    bool IsPush,
    bool IsActive,
    string? AutoPausedReason,
    TimeSpan Window,
    LenderHealth Health,
    IReadOnlyList<LatencyMinute> Latency);

/// <summary>
/// The attempts that ended in the minute up to <see cref="EndsAt"/> and their latency (pre-check plus post); the
/// percentiles are null in a minute without attempts.
/// </summary>
public sealed record LatencyMinute(DateTimeOffset EndsAt, int Attempts, int? P50Ms, int? P95Ms);
