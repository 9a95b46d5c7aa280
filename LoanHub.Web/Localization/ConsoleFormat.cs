using System.Globalization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Localization;

/// <summary>How the console writes figures, the same in both languages (ADR 0014): money as ¥ with two decimals, shares as percentages.</summary>
public static class ConsoleFormat
{
    public static string Money(decimal amount) => "¥" + amount.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>A share as Chinese and English both write it: <c>60.0%</c>, no space, whatever the culture's pattern.</summary>
    public static string Percent(double share, int decimals = 1) =>
        share.ToString(decimals == 0 ? "0%" : "0." + new string('0', decimals) + "%", CultureInfo.InvariantCulture);

    /// <summary>
    /// How long something has waited: "45 min", "3 h 20 min", "2 d 4 h" — precise enough to sort by eye, short enough for
    /// a chip. One rule for the queue, the case page, the dashboard and the alerts, so they agree on the same wait.
    /// </summary>
    public static string Age(this IStringLocalizer<ConsoleStrings> T, TimeSpan age)
    {
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        if (age.TotalMinutes < 1) return T["just now"];
        if (age.TotalHours < 1) return T["{0} min", age.Minutes];
        if (age.TotalDays < 1) return age.Minutes == 0 ? T["{0} h", age.Hours] : T["{0} h {1} min", age.Hours, age.Minutes];
        return age.Hours == 0 ? T["{0} d", (int)age.TotalDays] : T["{0} d {1} h", (int)age.TotalDays, age.Hours];
    }
}
