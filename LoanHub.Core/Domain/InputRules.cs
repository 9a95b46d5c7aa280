using System.Globalization;
using System.Text;

namespace LoanHub.Core.Domain;

/// <summary>
/// The rules every value from outside (the intake and lender APIs, configuration files) meets before it is
/// believed: text without control characters, stored in NFC; amounts and counts within ceilings the store
/// and the arithmetic can hold. Validators of each entry point use these, and name their own fields.
/// </summary>
public static class InputRules
{
    /// <summary>The largest CNY amount accepted anywhere: far above any loan, far below what whole fen in a long can hold.</summary>
    public const decimal MaxMoney = 100_000_000m;

    /// <summary>The largest count accepted for caps and similar tallies.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>
    /// <paramref name="text"/> in Unicode normalisation form C, so the same name typed two ways is one name; as it is
    /// when it cannot be normalised (a lone surrogate), which <see cref="ProblemWith"/> refuses.
    /// </summary>
    public static string? Normalized(string? text)
    {
        if (text is null || Ascii.IsValid(text)) return text;
        try
        {
            return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    /// <summary>
    /// Why <paramref name="text"/> is refused, or null: control characters (line breaks only where
    /// <paramref name="allowLineBreaks"/>), bidirectional overrides that make text read other than it is stored,
    /// unpaired surrogates and non-characters.
    /// </summary>
    public static string? ProblemWith(string text, bool allowLineBreaks = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF') return "must be well-formed Unicode text";
            if (allowLineBreaks && c is '\n' or '\r' or '\t') continue;
            if (char.IsControl(c)) return "must not contain control characters";
            if (IsBidiControl(c)) return "must not contain bidirectional control characters";
        }
        return null;
    }

    /// <summary>Why <paramref name="amount"/> is not a CNY amount between <paramref name="min"/> and <paramref name="max"/> in whole fen, or null.</summary>
    public static string? MoneyProblem(decimal amount, decimal min = 0m, decimal max = MaxMoney)
    {
        if (amount < min || amount > max)
            return string.Create(CultureInfo.InvariantCulture, $"must be between {min:#,0.##} and {max:#,0.##}");
        return Money.HasAtMostTwoPlaces(amount) ? null : "must have at most two decimal places";
    }

    /// <summary>Why <paramref name="value"/> is not a whole number between <paramref name="min"/> and <paramref name="max"/>, or null.</summary>
    public static string? CountProblem(long value, long min, long max) =>
        value < min || value > max ? string.Create(CultureInfo.InvariantCulture, $"must be between {min:#,0} and {max:#,0}") : null;

    // Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): the "Trojan Source" characters.
    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
