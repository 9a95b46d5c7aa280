namespace LoanHub.Core.Domain;

/// <summary>Rules shared by the short codes and display names of lenders, products and sources.</summary>
internal static class Codes
{
    public static string Checked(string? code, string what)
    {
        var trimmed = code?.Trim() ?? "";
        if (trimmed.Length is 0 or > 32 || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new DomainException($"The {what} must be 1–32 letters, digits, '-' or '_'.");
        return trimmed;
    }

    public static string CheckedName(string? name, string what)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
            throw new DomainException($"The {what} must be 1–100 characters.");
        return trimmed;
    }
}
