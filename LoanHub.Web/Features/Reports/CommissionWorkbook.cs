using System.Globalization;
using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using ClosedXML.Excel;

namespace LoanHub.Web.Features.Reports;

/// <summary>
/// The commission workbook: a <c>Summary</c> sheet formatted by ClosedXML and a <c>Detail</c> sheet with one row per
/// ledger entry. ClosedXML holds a whole workbook in memory (about 0.85 GB for 100k rows), so it only writes the
/// summary and a two-row placeholder of the detail; the package is then copied into a new zip in which the detail
/// worksheet is written row by row from the ledger, reusing the styles ClosedXML gave the placeholder.
/// </summary>
public static class CommissionWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string MoneyFormat = "\"¥\"#,##0.00";
    public const string DateTimeFormat = "yyyy-mm-dd hh:mm:ss";
    public static string SummarySheet => WorkbookWords.English.SummarySheet;
    public static string DetailSheet => WorkbookWords.English.DetailSheet;
    /// <summary>Rows of one worksheet, the header included.</summary>
    public const int MaxRows = 1_048_576;
    public const int MaxDetailRows = MaxRows - 1;

    /// <summary>The English workbook's headings (<see cref="WorkbookWords.English"/>).</summary>
    public static IReadOnlyList<string> SummaryHeaders => WorkbookWords.English.SummaryHeaders;
    public static IReadOnlyList<string> DetailHeaders => WorkbookWords.English.DetailHeaders;

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly DateTime ExcelEpoch = new(1899, 12, 30);

    /// <summary>
    /// <c>loanhub-commissions-&lt;from&gt;-&lt;to&gt;[-lender-CODE][-product-CODE][-source-CODE].xlsx</c>: two workbooks of the
    /// same period narrowed differently get different names.
    /// </summary>
    public static string FileName(ReportFilter filter)
    {
        var name = new System.Text.StringBuilder($"loanhub-commissions-{filter.From:yyyy-MM-dd}-{filter.To:yyyy-MM-dd}");
        foreach (var (field, code) in new[] { ("lender", filter.Lender), ("product", filter.Product), ("source", filter.Source) })
            if (!string.IsNullOrEmpty(code)) name.Append('-').Append(field).Append('-').Append(SafeInFileName(code));
        return name.Append(".xlsx").ToString();
    }

    private static string SafeInFileName(string code) =>
        string.Concat(code.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    /// <summary>Writes the workbook to <paramref name="output"/> in <paramref name="words"/>' language (English by default) and returns the number of detail rows.</summary>
    public static async Task<long> WriteAsync(Stream output, ReportFilter filter, IReadOnlyList<SummaryRow> summary, IAsyncEnumerable<DetailRow> detail,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default, WorkbookWords? words = null)
    {
        words ??= WorkbookWords.English;
        using var skeleton = new MemoryStream();
        using (var workbook = BuildSkeleton(filter, summary, words))
        {
            workbook.SaveAs(skeleton);
        }
        skeleton.Position = 0;

        using var source = new ZipArchive(skeleton, ZipArchiveMode.Read);
        var detailPart = FindWorksheetPart(source, words.DetailSheet);
        var summaryPart = FindWorksheetPart(source, words.SummarySheet);
        long rows = 0;
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            await using var to = copy.Open();
            await using var from = entry.Open();
            if (entry.FullName == detailPart)
            {
                var placeholder = XDocument.Load(from);
                rows = await WriteDetailAsync(to, placeholder, detail, words, progress, cancellationToken);
            }
            else if (entry.FullName == summaryPart)
            {
                var sheet = XDocument.Load(from);
                WithCachedTotals(sheet, SummaryTotals.Of(summary));
                // As ClosedXML wrote it: unindented, so the part stays as small as it was.
                sheet.Save(to, System.Xml.Linq.SaveOptions.DisableFormatting);
            }
            else
            {
                await from.CopyToAsync(to, cancellationToken);
            }
        }
        return rows;
    }

    private static XLWorkbook BuildSkeleton(ReportFilter filter, IReadOnlyList<SummaryRow> summary, WorkbookWords words)
    {
        var workbook = new XLWorkbook();
        workbook.Properties.Title = $"LoanHub commissions {filter.From:yyyy-MM-dd} to {filter.To:yyyy-MM-dd}";
        workbook.Properties.Author = "LoanHub";

        var sheet = workbook.Worksheets.Add(words.SummarySheet);
        WriteHeader(sheet, words.SummaryHeaders);
        var row = 2;
        foreach (var line in summary)
        {
            sheet.Cell(row, 1).SetValue(line.LenderCode);
            sheet.Cell(row, 2).SetValue(line.ProductCode);
            sheet.Cell(row, 3).SetValue(line.Model.ToString());
            sheet.Cell(row, 4).SetValue(line.Leads);
            sheet.Cell(row, 5).SetValue(line.Approved);
            sheet.Cell(row, 6).SetValue(line.Funded);
            sheet.Cell(row, 7).SetValue(line.FundedAmount);
            sheet.Cell(row, 8).SetValue(line.Commission);
            row++;
        }
        var last = row - 1;
        sheet.Cell(row, 1).SetValue(words.Total);
        for (var column = 4; column <= 8; column++)
        {
            var letter = ColumnLetter(column);
            if (summary.Count > 0) sheet.Cell(row, column).FormulaA1 = $"SUM({letter}2:{letter}{last})";
            else sheet.Cell(row, column).SetValue(0);
        }
        sheet.Row(row).Style.Font.Bold = true;
        sheet.Row(row).Style.Border.TopBorder = XLBorderStyleValues.Thin;
        sheet.Range(2, 7, row, 8).Style.NumberFormat.Format = MoneyFormat;
        sheet.Range(2, 4, row, 6).Style.NumberFormat.Format = "#,##0";
        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, Math.Max(last, 1), SummaryHeaders.Count).SetAutoFilter();
        // AdjustToContents measures text with GDI+, which is not there on Linux servers.
        double[] widths = [14, 16, 9, 10, 10, 10, 18, 16];
        for (var i = 0; i < widths.Length; i++) sheet.Column(i + 1).Width = widths[i];

        // The detail placeholder: a header and one row whose cells carry the formats the streamed rows reuse.
        var detail = workbook.Worksheets.Add(words.DetailSheet);
        WriteHeader(detail, words.DetailHeaders);
        detail.Cell(2, 1).SetValue(new DateTime(2026, 1, 1)).Style.NumberFormat.Format = DateTimeFormat;
        for (var column = 2; column <= 6; column++) detail.Cell(2, column).SetValue("-");
        detail.Cell(2, 9).SetValue("-");
        detail.Cell(2, 7).SetValue(0m).Style.NumberFormat.Format = MoneyFormat;
        detail.Cell(2, 8).SetValue(0m).Style.NumberFormat.Format = MoneyFormat;
        detail.SheetView.FreezeRows(1);
        double[] detailWidths = [20, 12, 16, 38, 10, 11, 16, 14, 26];
        for (var i = 0; i < detailWidths.Length; i++) detail.Column(i + 1).Width = detailWidths[i];
        return workbook;
    }

    /// <summary>
    /// Gives the total row's formulas their values as well: ClosedXML writes a formula without a cached result, and
    /// viewers that do not recalculate (previews, mail clients, some online viewers) then show an empty total.
    /// </summary>
    private static void WithCachedTotals(XDocument sheet, SummaryTotals totals)
    {
        XNamespace main = Main;
        var byColumn = new Dictionary<char, string>
        {
            ['D'] = totals.Leads.ToString(CultureInfo.InvariantCulture),
            ['E'] = totals.Approved.ToString(CultureInfo.InvariantCulture),
            ['F'] = totals.Funded.ToString(CultureInfo.InvariantCulture),
            ['G'] = totals.FundedAmount.ToString(CultureInfo.InvariantCulture),
            ['H'] = totals.Commission.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var cell in sheet.Descendants(main + "c").Where(c => c.Element(main + "f") is not null && c.Element(main + "v") is null))
            if (byColumn.TryGetValue(((string)cell.Attribute("r")!)[0], out var value))
                cell.Element(main + "f")!.AddAfterSelf(new XElement(main + "v", value));
    }

    private static void WriteHeader(IXLWorksheet sheet, IReadOnlyList<string> headers)
    {
        for (var i = 0; i < headers.Count; i++) sheet.Cell(1, i + 1).SetValue(headers[i]);
        var header = sheet.Range(1, 1, 1, headers.Count).Style;
        header.Font.Bold = true;
        header.Fill.BackgroundColor = XLColor.FromHtml("#E8EAF6");
        header.Border.BottomBorder = XLBorderStyleValues.Thin;
    }

    /// <summary>The package path of the worksheet named <paramref name="name"/>, through the workbook and its relationships.</summary>
    private static string FindWorksheetPart(ZipArchive package, string name)
    {
        XDocument Load(string path)
        {
            using var stream = (package.GetEntry(path) ?? throw new InvalidDataException($"The workbook has no {path}.")).Open();
            return XDocument.Load(stream);
        }

        XNamespace main = Main, relationships = OfficeRelationships, package_ = PackageRelationships;
        var sheet = Load("xl/workbook.xml").Descendants(main + "sheet").Single(s => (string?)s.Attribute("name") == name);
        var id = (string)sheet.Attribute(relationships + "id")!;
        var target = (string)Load("xl/_rels/workbook.xml.rels").Descendants(package_ + "Relationship").Single(r => (string?)r.Attribute("Id") == id).Attribute("Target")!;
        return target.StartsWith('/') ? target[1..] : "xl/" + target;
    }

    private static async Task<long> WriteDetailAsync(Stream to, XDocument placeholder, IAsyncEnumerable<DetailRow> detail, WorkbookWords words, IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        XNamespace main = Main;
        var root = placeholder.Root!;
        var rowsOfPlaceholder = root.Element(main + "sheetData")!.Elements(main + "row").ToList();
        var headerStyles = StylesOf(rowsOfPlaceholder.Single(r => (string?)r.Attribute("r") == "1"));
        var cellStyles = StylesOf(rowsOfPlaceholder.Single(r => (string?)r.Attribute("r") == "2"));

        using var writer = XmlWriter.Create(to, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false });
        writer.WriteStartDocument(standalone: true);
        writer.WriteStartElement(root.Name.LocalName, Main);
        foreach (var attribute in root.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
            {
                if (attribute.Name.Namespace == XNamespace.Xmlns) writer.WriteAttributeString("xmlns", attribute.Name.LocalName, null, attribute.Value);
            }
            else writer.WriteAttributeString(attribute.Name.LocalName, attribute.Name.NamespaceName, attribute.Value);
        }

        long count = 0;
        foreach (var element in root.Elements())
        {
            if (element.Name == main + "dimension") continue; // optional, and the size is not known before the rows are written
            if (element.Name != main + "sheetData")
            {
                element.WriteTo(writer);
                continue;
            }
            writer.WriteStartElement("sheetData", Main);
            writer.WriteStartElement("row", Main);
            writer.WriteAttributeString("r", "1");
            for (var i = 0; i < words.DetailHeaders.Count; i++) Text(writer, 0, i, words.DetailHeaders[i], headerStyles);
            writer.WriteEndElement();

            await foreach (var line in detail.WithCancellation(cancellationToken))
            {
                if (count == MaxDetailRows)
                    throw new InvalidOperationException($"More than {MaxDetailRows:N0} ledger entries do not fit one worksheet; narrow the period.");
                count++;
                var row = count + 1;
                writer.WriteStartElement("row", Main);
                writer.WriteAttributeString("r", row.ToString(CultureInfo.InvariantCulture));
                Number(writer, row, 0, (line.OccurredAt - ExcelEpoch).TotalDays.ToString("R", CultureInfo.InvariantCulture), cellStyles);
                Text(writer, row, 1, line.Lender, cellStyles);
                Text(writer, row, 2, line.Product, cellStyles);
                Text(writer, row, 3, line.ApplicationId.ToString(), cellStyles);
                Text(writer, row, 4, line.Source, cellStyles);
                Text(writer, row, 5, words.Events[line.Event], cellStyles);
                if (line.FundedAmount is { } funded) Number(writer, row, 6, funded.ToString(CultureInfo.InvariantCulture), cellStyles);
                Number(writer, row, 7, line.Commission.ToString(CultureInfo.InvariantCulture), cellStyles);
                Text(writer, row, 8, line.Reference, cellStyles);
                writer.WriteEndElement();
                if (count % 10_000 == 0) progress?.Report(count);
            }
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteEndDocument();
        progress?.Report(count);
        return count;
    }

    private static string?[] StylesOf(XElement row)
    {
        var styles = new string?[DetailHeaders.Count];
        foreach (var cell in row.Elements(XName.Get("c", Main)))
        {
            var reference = (string)cell.Attribute("r")!;
            var column = reference[0] - 'A';
            if (column >= 0 && column < styles.Length) styles[column] = (string?)cell.Attribute("s");
        }
        return styles;
    }

    private static void Text(XmlWriter writer, long row, int column, string value, string?[] styles)
    {
        StartCell(writer, row == 0 ? 1 : row, column, styles);
        writer.WriteAttributeString("t", "inlineStr");
        writer.WriteStartElement("is", Main);
        writer.WriteElementString("t", Main, value);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void Number(XmlWriter writer, long row, int column, string value, string?[] styles)
    {
        StartCell(writer, row, column, styles);
        writer.WriteElementString("v", Main, value);
        writer.WriteEndElement();
    }

    private static void StartCell(XmlWriter writer, long row, int column, string?[] styles)
    {
        writer.WriteStartElement("c", Main);
        writer.WriteAttributeString("r", string.Concat(ColumnLetter(column + 1), row.ToString(CultureInfo.InvariantCulture)));
        if (styles[column] is { } style) writer.WriteAttributeString("s", style);
    }

    private static string ColumnLetter(int column) => ((char)('A' + column - 1)).ToString();
}
