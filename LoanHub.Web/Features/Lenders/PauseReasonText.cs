using System.Globalization;
using System.Text.RegularExpressions;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Lenders;

/// <summary>
/// Why the system paused a lender, in the reader's language. The reason is stored in English as
/// <see cref="Core.Delivery.AutoPausePolicy.Reason"/> words it (it is also the audit record); the lenders page, the
/// delivery-health dialog and the dashboard show it through this. A reason of another shape is shown as stored.
/// </summary>
public static partial class PauseReasonText
{
    private static readonly StoredSentence Shape =
        new("Paused automatically: {0} and {1} in {2} over the last {3} minutes ({4}; the limit is {5}).");

    /// <summary>The shape, which is the resource key of <see cref="ConsoleStrings"/>.</summary>
    public static string Key => Shape.Key;

    public static string Words(IStringLocalizer<ConsoleStrings> T, string stored)
    {
        if (!Shape.TryRead(stored, out var read)) return stored;
        string?[] values = [Count(T, read[0]), Count(T, read[1]), Count(T, read[2]), read[3], Rate(read[4]), Rate(read[5])];
        return values.Any(v => v is null) ? stored : T[Shape.Key, values!];
    }

    private static string? Count(IStringLocalizer<ConsoleStrings> T, string text)
    {
        if (CountShape().Match(text) is not { Success: true } match) return null;
        var n = match.Groups["n"].Value;
        var one = n == "1";
        return match.Groups["noun"].Value switch
        {
            "timeout" => one ? T["{0} timeout", n] : T["{0} timeouts", n],
            "error" => one ? T["{0} error", n] : T["{0} errors", n],
            _ => one ? T["{0} attempt", n] : T["{0} attempts", n],
        };
    }

    /// <summary>"40 %" as the invariant culture writes it, shown as the console writes shares ("40%").</summary>
    private static string? Rate(string text) =>
        double.TryParse(text.TrimEnd('%').TrimEnd(), NumberStyles.Number, CultureInfo.InvariantCulture, out var percent)
            ? ConsoleFormat.Percent(percent / 100, decimals: 0) : null;

    [GeneratedRegex(@"^(?<n>\d+) (?<noun>timeout|error|attempt)s?$")]
    private static partial Regex CountShape();
}
