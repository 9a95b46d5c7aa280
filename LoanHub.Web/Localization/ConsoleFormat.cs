using System.Globalization;

namespace LoanHub.Web.Localization;

/// <summary>How the console writes figures, the same in both languages (ADR 0014): money as ¥ with two decimals.</summary>
public static class ConsoleFormat
{
    public static string Money(decimal amount) => "¥" + amount.ToString("N2", CultureInfo.InvariantCulture);
}
