using AngleSharp.Dom;
using Bunit;
using ClosedXML.Excel;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Reports;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Reports;

/// <summary>The reports page rendered over the real report services and store of a host, with today's traffic on its ledger.</summary>
public class ReportsPageTests : ComponentTestContext, IClassFixture<LoanHubHost>
{
    private const string Analyst = "analyst.page@test.local";
    private static int people = 546_000;
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(30);

    private readonly LoanHubHost host;

    public ReportsPageTests(LoanHubHost host)
    {
        this.host = host;
        Services.AddSingleton(host.Services.GetRequiredService<CommissionReportService>());
        Services.AddSingleton(host.Services.GetRequiredService<ReportExports>());
        Services.AddSingleton(TimeProvider.System);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        SignInAs(Analyst, "Analyst");
    }

    private static DateOnly Today => BusinessDay.Of(DateTimeOffset.UtcNow);

    private async Task<IRenderedComponent<ReportsPage>> RenderWithTrafficAsync()
    {
        var traffic = new ReportTraffic(host.CreateClient(), () => Interlocked.Increment(ref people));
        await traffic.CplAsync();
        RenderPopoverProvider();
        var page = Render<ReportsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=summary] tbody tr")), Slow);
        return page;
    }

    private static IElement ExportButton(IRenderedComponent<ReportsPage> page) => page.Find("[data-testid=export]");

    private static string? Hint(IRenderedComponent<ReportsPage> page) =>
        page.FindAll("[data-testid=export-hint]").SingleOrDefault()?.TextContent.Trim();

    // The date pickers are editable: typing a day and leaving the field is what a user does.
    private static void Type(IRenderedComponent<ReportsPage> page, string label, DateOnly day)
    {
        var id = page.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for");
        page.Find($"input#{id}").Change(day.ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task Export_waits_until_the_report_is_run_again_after_a_filter_changes()
    {
        var page = await RenderWithTrafficAsync();
        Assert.False(ExportButton(page).HasAttribute("disabled"));
        Assert.Null(Hint(page));

        Type(page, "To", Today.AddDays(1));

        page.WaitForAssertion(() => Assert.Equal("Run the report again: the filters changed", Hint(page)));
        Assert.True(ExportButton(page).HasAttribute("disabled"));
        Assert.Equal("export-hint", ExportButton(page).GetAttribute("aria-describedby"));

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Show").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Null(Hint(page));
            Assert.False(ExportButton(page).HasAttribute("disabled"));
            Assert.Contains($"to {Today.AddDays(1):yyyy-MM-dd}", page.Find("[data-testid=period]").TextContent);
        }, Slow);
    }

    [Fact]
    public async Task A_period_button_runs_the_report_for_that_period_and_shows_itself_pressed()
    {
        var page = await RenderWithTrafficAsync();
        Assert.Equal("true", page.Find("[data-testid=period-ThisMonth]").GetAttribute("aria-pressed"));

        page.Find("[data-testid=period-LastMonth]").Click();

        var (first, last) = ReportPeriods.Of(ReportPeriod.LastMonth, Today);
        page.WaitForAssertion(() =>
        {
            Assert.StartsWith($"{first:yyyy-MM-dd} to {last:yyyy-MM-dd}", page.Find("[data-testid=period]").TextContent.Trim());
            Assert.Equal("true", page.Find("[data-testid=period-LastMonth]").GetAttribute("aria-pressed"));
            Assert.Equal("false", page.Find("[data-testid=period-ThisMonth]").GetAttribute("aria-pressed"));
            // The report on screen is the period's, so it exports as it is.
            Assert.Null(Hint(page));
        }, Slow);
    }

    [Fact]
    public async Task Export_builds_the_workbook_of_the_report_on_screen()
    {
        var page = await RenderWithTrafficAsync();
        var shown = page.Find("[data-testid=period]").TextContent;

        ExportButton(page).Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Contains(ReportsEndpoints.BuiltPath.TrimStart('/'), navigation.Uri), Slow);
        var token = Guid.Parse(navigation.Uri[(navigation.Uri.LastIndexOf('/') + 1)..]);
        var built = host.Services.GetRequiredService<ReportExports>().Take(token, Analyst);
        Assert.NotNull(built);
        try
        {
            var first = new DateOnly(Today.Year, Today.Month, 1);
            Assert.Equal(CommissionWorkbook.FileName(new ReportFilter(first, Today)), built.FileName);
            Assert.Contains($"{first:yyyy-MM-dd} to {Today:yyyy-MM-dd}", shown);
            using var workbook = new XLWorkbook(built.Path);
            Assert.True(workbook.Worksheet("Detail").RowsUsed().Count() > 1);
        }
        finally
        {
            File.Delete(built.Path);
        }
    }

    [Fact]
    public async Task Export_stays_on_screen_disabled_with_the_reason_while_the_period_is_invalid()
    {
        var page = await RenderWithTrafficAsync();
        var first = new DateOnly(Today.Year, Today.Month, 1);

        Type(page, "To", first.AddDays(-1));

        page.WaitForAssertion(() => Assert.Equal("Fix the period to export: the last day is before the first.", Hint(page)));
        Assert.True(ExportButton(page).HasAttribute("disabled"));
        Assert.Contains("Export to Excel", ExportButton(page).TextContent);

        Type(page, "To", Today);

        page.WaitForAssertion(() =>
        {
            Assert.Null(Hint(page));
            Assert.False(ExportButton(page).HasAttribute("disabled"));
        });
    }
}
