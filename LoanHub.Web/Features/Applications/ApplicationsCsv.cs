using System.Globalization;
using System.Text;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

/// <summary>
/// The applications list as CSV: UTF-8 with a byte-order mark (without it Excel reads Chinese as another code page), the
/// headings in the reader's language, personal data masked as the list masks it, and no cell a spreadsheet would run as a
/// formula.
/// </summary>
public static class ApplicationsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(DateTimeOffset at) => $"applications-{ChinaTime.Format(at, "yyyyMMdd-HHmm")}.csv";

    public static async Task<int> WriteAsync(Stream output, IAsyncEnumerable<ApplicationRow> rows, IStringLocalizer<ApplicationsStrings> L,
        CancellationToken cancellationToken)
    {
        await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), cancellationToken);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        await WriteLineAsync(writer, [L["Received at"], L["Source"], L["Name"], L["National ID"], L["Phone"], L["Amount"], L["Term (months)"], L["Score"],
            L["Risk tier"], L["Status"], L["Unmatched cause"], L["Lender"], L["Product"]]);
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await WriteLineAsync(writer, [ChinaTime.Format(row.ReceivedAt), row.SourceCode, row.MaskedName, row.MaskedNationalId, row.MaskedPhone,
                row.RequestedAmount.ToString("0.00", CultureInfo.InvariantCulture), row.TermMonths.ToString(CultureInfo.InvariantCulture),
                row.Score?.ToString(CultureInfo.InvariantCulture) ?? "", row.Tier?.ToString() ?? "", L.Status(row.Status),
                row.Cause is { } cause ? L.Cause(cause) : "", row.LenderCode ?? "", row.ProductCode ?? ""]);
            count++;
        }
        await writer.FlushAsync(cancellationToken);
        return count;
    }

    private static Task WriteLineAsync(StreamWriter writer, string[] cells) => writer.WriteAsync(string.Join(",", cells.Select(Cell)) + "\r\n");

    /// <summary>
    /// One cell, quoted when it holds a separator, a quote or a line break. A cell a spreadsheet would read as a formula (it
    /// begins with = + - @, a tab or a carriage return: OWASP's CSV injection list) is written after a ' so that it stays text;
    /// the store's names come from traffic sources, so any of them may.
    /// </summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
