using System.Globalization;
using LoanHub.Web.Features.Exports;
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
    public const string ContentType = CsvFile.ContentType;

    public static string FileName(DateTimeOffset at) => $"applications-{ChinaTime.Format(at, "yyyyMMdd-HHmm")}.csv";

    public static Task<int> WriteAsync(Stream output, IAsyncEnumerable<ApplicationRow> rows, IStringLocalizer<ApplicationsStrings> L,
        CancellationToken cancellationToken) =>
        CsvFile.WriteAsync(output, [L["Received at"], L["Source"], L["Name"], L["National ID"], L["Phone"], L["Amount"], L["Term (months)"], L["Score"],
                L["Risk tier"], L["Status"], L["Unmatched cause"], L["Lender"], L["Product"]], rows,
            row => [ChinaTime.Format(row.ReceivedAt), row.SourceCode, row.MaskedName, row.MaskedNationalId, row.MaskedPhone,
                row.RequestedAmount.ToString("0.00", CultureInfo.InvariantCulture), row.TermMonths.ToString(CultureInfo.InvariantCulture),
                row.Score?.ToString(CultureInfo.InvariantCulture) ?? "", row.Tier?.ToString() ?? "", L.Status(row.Status),
                row.Cause is { } cause ? L.Cause(cause) : "", row.LenderCode ?? "", row.ProductCode ?? ""],
            cancellationToken);
}
