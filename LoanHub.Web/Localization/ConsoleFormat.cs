using System.Globalization;

namespace LoanHub.Web.Localization;

/// <summary>How the console writes figures, the same in both languages (ADR 0014): money as ¥ with two decimals, shares as percentages.</summary>
public static class ConsoleFormat
{
    public static string Money(decimal amount) => "¥" + amount.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>A share as Chinese and English both write it: <c>60.0%</c>, no space, whatever the culture's pattern.</summary>
    public static string Percent(double share, int decimals = 1) =>
        share.ToString(decimals == 0 ? "0%" : "0." + new string('0', decimals) + "%", CultureInfo.InvariantCulture);
}
