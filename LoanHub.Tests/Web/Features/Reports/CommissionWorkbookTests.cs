using System.Globalization;
using ClosedXML.Excel;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Reports;

public class CommissionWorkbookTests : IClassFixture<LoanHubHost>
{
    private static int people = 510_000;

    private readonly LoanHubHost host;
    private readonly ReportTraffic traffic;
    private readonly CommissionReportService reports;

    public CommissionWorkbookTests(LoanHubHost host)
    {
        this.host = host;
        traffic = new ReportTraffic(host.CreateClient(), () => Interlocked.Increment(ref people));
        reports = host.Services.GetRequiredService<CommissionReportService>();
    }

    private async Task<(CommissionPreview Preview, XLWorkbook Workbook, long Rows)> ExportAsync(ReportFilter filter)
    {
        var preview = await reports.PreviewAsync(filter);
        var file = new MemoryStream();
        var rows = await CommissionWorkbook.WriteAsync(file, filter, await reports.SummaryAsync(filter), reports.DetailAsync(filter));
        file.Position = 0;
        return (preview, new XLWorkbook(file), rows);
    }

    [Fact]
    public async Task Exported_workbook_matches_the_ledger_cell_by_cell()
    {
        var cps = await traffic.CpsAsync();
        await traffic.OutcomeAsync(cps, "Approved");
        await traffic.OutcomeAsync(cps, "Funded", 12_345.25m);
        var cps2 = await traffic.CpsAsync(AppKey);
        await traffic.OutcomeAsync(cps2, "Approved");
        await traffic.OutcomeAsync(cps2, "Funded", 333.33m);
        var cpa = await traffic.CpaAsync();
        await traffic.OutcomeAsync(cpa, "Approved");
        await traffic.CplAsync();
        await traffic.CplAsync(AppKey);
        var filter = ReportTraffic.AroundToday();

        var (preview, workbook, rows) = await ExportAsync(filter);
        using var _ = workbook;

        Assert.Equal(["Summary", "Detail"], workbook.Worksheets.Select(w => w.Name));

        var summary = workbook.Worksheet("Summary");
        Assert.Equal(CommissionWorkbook.SummaryHeaders, Enumerable.Range(1, 8).Select(c => summary.Cell(1, c).GetString()));
        Assert.Equal(["Lender", "Product", "Model", "Leads", "Approved", "Funded", "Funded amount", "Commission"], CommissionWorkbook.SummaryHeaders);
        Assert.Equal(3, preview.Rows.Count);
        for (var i = 0; i < preview.Rows.Count; i++)
        {
            var line = preview.Rows[i];
            var row = summary.Row(i + 2);
            Assert.Equal((line.LenderCode, line.ProductCode, line.Model.ToString()), (row.Cell(1).GetString(), row.Cell(2).GetString(), row.Cell(3).GetString()));
            Assert.Equal((line.Leads, line.Approved, line.Funded), (row.Cell(4).GetValue<int>(), row.Cell(5).GetValue<int>(), row.Cell(6).GetValue<int>()));
            Assert.Equal((line.FundedAmount, line.Commission), (row.Cell(7).GetValue<decimal>(), row.Cell(8).GetValue<decimal>()));
            Assert.Equal(CommissionWorkbook.MoneyFormat, row.Cell(8).Style.NumberFormat.Format);
        }
        var l1Cash = preview.Rows.Single(r => r.ProductCode == "L1-CASH");
        Assert.Equal((2, 2, 2, 12_678.58m, 253.58m), (l1Cash.Leads, l1Cash.Approved, l1Cash.Funded, l1Cash.FundedAmount, l1Cash.Commission));

        var total = summary.Row(preview.Rows.Count + 2);
        Assert.Equal("Total", total.Cell(1).GetString());
        var last = preview.Rows.Count + 1;
        Assert.Equal(new[] { "D", "E", "F", "G", "H" }.Select(c => $"SUM({c}2:{c}{last})"), Enumerable.Range(4, 5).Select(c => total.Cell(c).FormulaA1));
        decimal Evaluated(int column) => Math.Round(Convert.ToDecimal(total.Cell(column).Value, CultureInfo.InvariantCulture), 2);
        Assert.Equal(preview.Totals, new SummaryTotals((int)Evaluated(4), (int)Evaluated(5), (int)Evaluated(6), Evaluated(7), Evaluated(8)));
        Assert.Equal(CommissionWorkbook.MoneyFormat, total.Cell(8).Style.NumberFormat.Format);
        Assert.True(summary.SheetView.SplitRow == 1, "the Summary header is frozen");
        Assert.True(summary.AutoFilter.IsEnabled, "the Summary has filters on");

        await using var db = host.CreateDbContext();
        var (start, end) = filter.Window;
        var ledger = (await db.CommissionEntries.AsNoTracking().ToListAsync()).Where(e => e.OccurredAt >= start && e.OccurredAt < end)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
        var codes = (await db.Lenders.ToListAsync()).ToDictionary(l => l.Id, l => l.Code);
        var products = (await db.Products.ToListAsync()).ToDictionary(p => p.Id, p => p.Code);
        var sources = (await db.Sources.ToListAsync()).ToDictionary(s => s.Id, s => s.Code);

        var references = await db.Applications.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.ExternalRef);

        var detail = workbook.Worksheet("Detail");
        Assert.Equal(CommissionWorkbook.DetailHeaders, Enumerable.Range(1, 9).Select(c => detail.Cell(1, c).GetString()));
        Assert.Equal(ledger.Count, rows);
        Assert.Equal(ledger.Count + 1, detail.LastRowUsed()!.RowNumber());
        for (var i = 0; i < ledger.Count; i++)
        {
            var entry = ledger[i];
            var row = detail.Row(i + 2);
            var cst = entry.OccurredAt.ToOffset(TimeSpan.FromHours(8)).DateTime;
            Assert.True(Math.Abs((row.Cell(1).GetDateTime() - cst).TotalMilliseconds) < 1, $"row {i + 2}: {row.Cell(1).GetDateTime():O} vs {cst:O}");
            Assert.Equal((codes[entry.LenderId], products[entry.ProductId], entry.ApplicationId.Value.ToString(), sources[entry.SourceId], entry.Event.ToString()),
                (row.Cell(2).GetString(), row.Cell(3).GetString(), row.Cell(4).GetString(), row.Cell(5).GetString(), row.Cell(6).GetString()));
            Assert.Equal(entry.FundedAmount, row.Cell(7).IsEmpty() ? null : row.Cell(7).GetValue<decimal>());
            Assert.Equal(entry.Amount, row.Cell(8).GetValue<decimal>());
            // The reference the console's application page shows, which is what a lender quotes in a dispute.
            Assert.Equal(references[entry.ApplicationId], row.Cell(9).GetString());
        }
        Assert.Equal(preview.Totals.Commission, Enumerable.Range(2, ledger.Count).Sum(r => detail.Cell(r, 8).GetValue<decimal>()));
        Assert.Equal(CommissionWorkbook.MoneyFormat, detail.Cell(2, 8).Style.NumberFormat.Format);
        Assert.Equal(CommissionWorkbook.DateTimeFormat, detail.Cell(2, 1).Style.NumberFormat.Format);
        Assert.True(detail.SheetView.SplitRow == 1, "the Detail header is frozen");
    }

    [Fact]
    public async Task The_totals_carry_their_values_beside_their_formulas_for_viewers_that_do_not_recalculate()
    {
        await traffic.OutcomeAsync(await traffic.CpaAsync(), "Approved");
        await traffic.CplAsync(AppKey);
        var filter = ReportTraffic.AroundToday();
        var summary = await reports.SummaryAsync(filter);
        var file = new MemoryStream();
        await CommissionWorkbook.WriteAsync(file, filter, summary, reports.DetailAsync(filter));

        // Read as such a viewer does: the cell's stored value, without evaluating its formula.
        file.Position = 0;
        using var package = new System.IO.Compression.ZipArchive(file);
        using var reader = new StreamReader(package.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        System.Xml.Linq.XNamespace main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var totalRow = (summary.Count + 2).ToString(CultureInfo.InvariantCulture);
        var cells = System.Xml.Linq.XDocument.Parse(await reader.ReadToEndAsync()).Descendants(main + "c")
            .Where(c => ((string)c.Attribute("r")!).EndsWith(totalRow, StringComparison.Ordinal) && c.Element(main + "f") is not null)
            .ToDictionary(c => ((string)c.Attribute("r")!)[0], c => (string?)c.Element(main + "v"));

        var totals = SummaryTotals.Of(summary);
        Assert.Equal(new Dictionary<char, string?>
        {
            ['D'] = $"{totals.Leads}", ['E'] = $"{totals.Approved}", ['F'] = $"{totals.Funded}",
            ['G'] = totals.FundedAmount.ToString(CultureInfo.InvariantCulture), ['H'] = totals.Commission.ToString(CultureInfo.InvariantCulture),
        }, cells);
    }

    [Theory]
    [InlineData(null, null, null, "loanhub-commissions-2026-11-01-2026-11-30.xlsx")]
    [InlineData("L1", null, null, "loanhub-commissions-2026-11-01-2026-11-30-lender-L1.xlsx")]
    [InlineData("L1", "L1-CASH", "ADS", "loanhub-commissions-2026-11-01-2026-11-30-lender-L1-product-L1-CASH-source-ADS.xlsx")]
    [InlineData(null, null, "渠道/1", "loanhub-commissions-2026-11-01-2026-11-30-source-___1.xlsx")]
    public void The_file_name_says_the_period_and_every_filter(string? lender, string? product, string? source, string expected) =>
        Assert.Equal(expected, CommissionWorkbook.FileName(new ReportFilter(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), lender, product, source)));

    [Fact]
    public async Task Empty_period_exports_headers_and_a_zero_total()
    {
        var filter = new ReportFilter(new DateOnly(2020, 2, 1), new DateOnly(2020, 2, 29));
        var (_, workbook, rows) = await ExportAsync(filter);
        using var _ = workbook;
        Assert.Equal(0, rows);
        var summary = workbook.Worksheet("Summary");
        Assert.Equal(("Total", 0m), (summary.Cell(2, 1).GetString(), summary.Cell(2, 8).GetValue<decimal>()));
        Assert.Equal(1, workbook.Worksheet("Detail").LastRowUsed()!.RowNumber());
        Assert.Equal("loanhub-commissions-2020-02-01-2020-02-29.xlsx", CommissionWorkbook.FileName(filter));
    }
}
