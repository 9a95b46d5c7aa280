using System.Text.RegularExpressions;

namespace LoanHub.Core.Identity;

public static partial class MobileNumber
{
    [GeneratedRegex(@"^1[3-9]\d{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary><c>138****8000</c>: the carrier prefix and the last four, the rest hidden.</summary>
    public static string Mask(string value) =>
        value.Length == 11 ? string.Concat(value.AsSpan(0, 3), "****", value.AsSpan(7, 4)) : new string('*', value.Length);
}
