using System.Globalization;
using System.Runtime.CompilerServices;

namespace LoanHub.Core.Engine;

/// <summary>
/// The detail sentence of a reason, formatted in the invariant culture, and only when it is to be explained: for a
/// caller that reads codes alone (the what-if, a million applicants over) the compiler skips every hole, so nothing is
/// boxed, joined or formatted. Written as <c>Fail(code, explain, $"Score {score} is below …")</c>.
/// </summary>
[InterpolatedStringHandler]
internal ref struct ReasonDetail
{
    private DefaultInterpolatedStringHandler text;
    private readonly bool explained;

    public ReasonDetail(int literalLength, int formattedCount, bool explain, out bool shouldAppend)
    {
        explained = explain;
        shouldAppend = explain;
        if (explain) text = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);
    }

    public void AppendLiteral(string value) => text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => text.AppendFormatted(value, format);

    /// <summary>The sentence; empty when it was not to be explained.</summary>
    public string Text() => explained ? text.ToStringAndClear() : string.Empty;
}
