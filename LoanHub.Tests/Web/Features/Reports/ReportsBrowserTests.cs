using ClosedXML.Excel;
using LoanHub.Tests.Web.Browser;
using LoanHub.Web.Features.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanHub.Tests.Web.Features.Reports;

[Collection(BrowserCollection.Name)]
public class ReportsBrowserTests(BrowserHost host)
{
    private static int people = 540_000;

    [Fact]
    public async Task Admin_previews_this_months_commission_and_downloads_it_as_a_workbook()
    {
        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var traffic = new ReportTraffic(api, () => Interlocked.Increment(ref people));
        var cpa = await traffic.CpaAsync();
        await traffic.OutcomeAsync(cpa, "Approved");
        await traffic.CplAsync();

        var page = await host.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Commission reports", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("summary")).ToContainTextAsync("L1-INST");
            await Assertions.Expect(page.GetByTestId("reconciliation")).ToContainTextAsync("L2");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export to Excel" }).ClickAsync());
            Assert.Matches(@"^loanhub-commissions-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.xlsx$", download.SuggestedFilename);
            var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
            await download.SaveAsAsync(path);
            try
            {
                using var workbook = new XLWorkbook(path);
                var summary = workbook.Worksheet("Summary");
                var total = summary.Column(1).CellsUsed().Single(c => c.GetString() == "Total").WorksheetRow();
                var shown = await page.GetByTestId("total-commission").InnerTextAsync();
                Assert.Equal(shown.Trim(), "¥" + Convert.ToDecimal(total.Cell(8).Value).ToString("N2", System.Globalization.CultureInfo.InvariantCulture));
                Assert.Contains(workbook.Worksheet("Detail").Column(4).CellsUsed(), c => c.GetString() == cpa);
            }
            finally
            {
                File.Delete(path);
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
