using System.Text.RegularExpressions;

namespace LoanHub.Web.Localization;

/// <summary>
/// The shape of an English sentence the system stores (the engine's decision record, an auto-pause reason), read back
/// so the console can word it in the reader's language: the shape is a resource key ("Daily cap of {0} leads
/// reached."), and its placeholders are what <see cref="TryRead"/> takes out of the stored text.
/// </summary>
public sealed partial class StoredSentence
{
    private readonly Regex pattern;

    public StoredSentence(string key)
    {
        Key = key;
        pattern = new Regex("^" + Placeholder().Replace(Regex.Escape(key), m => $"(?<p{m.Groups[1].Value}>.+?)") + "$",
            RegexOptions.CultureInvariant);
        Placeholders = Placeholder().Matches(Regex.Escape(key)).Count;
    }

    /// <summary>The English shape, which is the resource key.</summary>
    public string Key { get; }

    public int Placeholders { get; }

    /// <summary>The placeholders' text, {0} first, when <paramref name="stored"/> has this shape.</summary>
    public bool TryRead(string stored, out string[] values)
    {
        var match = pattern.Match(stored);
        values = match.Success ? [.. Enumerable.Range(0, Placeholders).Select(i => match.Groups["p" + i].Value)] : [];
        return match.Success;
    }

    [GeneratedRegex(@"\\\{(\d)}")]
    private static partial Regex Placeholder();
}
