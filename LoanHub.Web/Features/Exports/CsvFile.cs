using System.Text;

namespace LoanHub.Web.Features.Exports;

/// <summary>
/// The console's CSV files: UTF-8 with a byte-order mark (without it Excel reads Chinese as another code page), CRLF
/// lines, and no cell a spreadsheet would run as a formula. The applications list and the audit log are written by it.
/// </summary>
public static class CsvFile
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Writes the headings and a line per row; returns how many rows were written.</summary>
    public static async Task<int> WriteAsync<T>(Stream output, IReadOnlyList<string> headings, IAsyncEnumerable<T> rows, Func<T, IReadOnlyList<string>> cells,
        CancellationToken cancellationToken)
    {
        await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), cancellationToken);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        await WriteLineAsync(writer, headings);
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await WriteLineAsync(writer, cells(row));
            count++;
        }
        await writer.FlushAsync(cancellationToken);
        return count;
    }

    private static Task WriteLineAsync(StreamWriter writer, IReadOnlyList<string> cells) => writer.WriteAsync(string.Join(",", cells.Select(Cell)) + "\r\n");

    /// <summary>
    /// One cell, quoted when it holds a separator, a quote or a line break. A cell a spreadsheet would read as a formula (it
    /// begins with = + - @, a tab or a carriage return: OWASP's CSV injection list) is written after a ' so that it stays text;
    /// names in the store come from traffic sources and users, so any of them may.
    /// </summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
