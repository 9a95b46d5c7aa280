using System.Net;
using ClosedXML.Excel;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Reports;

public class ReportsEndpointTests : IClassFixture<LoanHubHost>
{
    private const string Password = "Reports-Passw0rd-1";
    private static int people = 520_000;
    private static readonly SemaphoreSlim Users = new(1, 1);

    private readonly LoanHubHost host;

    public ReportsEndpointTests(LoanHubHost host) => this.host = host;

    // A browser that reads English unless the test says otherwise, as the workbook follows the user's language.
    private HttpClient NewClient(string acceptLanguage = "en-US")
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return client;
    }

    private async Task<HttpClient> SignedInAsync(string role, string acceptLanguage = "en-US")
    {
        var email = $"{role.ToLowerInvariant()}.reports@test.local";
        await Users.WaitAsync();
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserAdminService>();
            if ((await users.ListAsync()).All(u => u.Email != email))
            {
                var created = await users.CreateAsync(TestUsers.Admin, new NewUser(email, role, Password, [role]));
                Assert.True(created.Succeeded, string.Join(" ", created.Errors));
            }
        }
        finally
        {
            Users.Release();
        }
        var client = NewClient(acceptLanguage);
        await ReportTraffic.SignInAsync(client, email, Password);
        return client;
    }

    [Theory]
    [InlineData("&lang=zh-CN", "en-US")]
    [InlineData("", "zh-CN,zh;q=0.9")]
    public async Task The_workbook_is_in_chinese_when_asked_for_or_when_the_user_reads_chinese(string lang, string browser)
    {
        var traffic = new ReportTraffic(host.CreateClient(), () => Interlocked.Increment(ref people));
        var id = await traffic.CpaAsync();
        await traffic.OutcomeAsync(id, "Approved");
        var filter = ReportTraffic.AroundToday();
        var client = await SignedInAsync(Roles.Analyst, browser);

        var response = await client.GetAsync(Url($"{filter.From:yyyy-MM-dd}", $"{filter.To:yyyy-MM-dd}", "&lender=L1" + lang));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["汇总", "明细"], workbook.Worksheets.Select(w => w.Name));
        Assert.Equal(["机构", "产品", "计费模式", "线索数", "授信数", "放款数", "放款金额", "佣金"],
            Enumerable.Range(1, 8).Select(c => workbook.Worksheet("汇总").Cell(1, c).GetString()));
        Assert.Equal("合计", workbook.Worksheet("汇总").Cell(3, 1).GetString());
        var detail = workbook.Worksheet("明细");
        Assert.Equal("日期（北京时间）", detail.Cell(1, 1).GetString());
        // The lead's ledger entries (delivered, then approved) name their events in Chinese.
        Assert.Contains(detail.Column(4).CellsUsed().Where(c => c.GetString() == id), c => detail.Cell(c.Address.RowNumber, 6).GetString() == "授信");
    }

    [Fact]
    public async Task Lang_en_gives_todays_english_workbook_exactly_even_to_a_user_who_reads_chinese()
    {
        var traffic = new ReportTraffic(host.CreateClient(), () => Interlocked.Increment(ref people));
        await traffic.OutcomeAsync(await traffic.CpaAsync(), "Approved");
        var filter = ReportTraffic.AroundToday();
        var client = await SignedInAsync(Roles.Analyst, "zh-CN");

        var response = await client.GetAsync(Url($"{filter.From:yyyy-MM-dd}", $"{filter.To:yyyy-MM-dd}", "&lender=L1&lang=en"));

        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["Summary", "Detail"], workbook.Worksheets.Select(w => w.Name));
        Assert.Equal(["Lender", "Product", "Model", "Leads", "Approved", "Funded", "Funded amount", "Commission"],
            Enumerable.Range(1, 8).Select(c => workbook.Worksheet("Summary").Cell(1, c).GetString()));
        // Today's columns in today's places; the application reference came after them.
        Assert.Equal(["Date (CST)", "Lender", "Product", "Application id", "Source", "Event", "Funded amount", "Commission", "Reference"],
            Enumerable.Range(1, 9).Select(c => workbook.Worksheet("Detail").Cell(1, c).GetString()));
        Assert.Equal("Total", workbook.Worksheet("Summary").Cell(3, 1).GetString());
        Assert.Contains(workbook.Worksheet("Detail").Column(6).CellsUsed(), c => c.GetString() == "Approved");
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("en-US")]
    [InlineData("zh")]
    [InlineData("")]
    public async Task A_language_other_than_en_or_zh_CN_is_refused_with_problem_details(string lang)
    {
        var client = await SignedInAsync(Roles.Analyst);

        var response = await client.GetAsync(Url("2026-01-01", "2026-01-31", "&lang=" + lang));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"lang\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Url(string from, string to, string extra = "") => $"/reports/commissions.xlsx?from={from}&to={to}{extra}";

    [Fact]
    public async Task Analyst_downloads_the_workbook_of_a_period()
    {
        var traffic = new ReportTraffic(host.CreateClient(), () => Interlocked.Increment(ref people));
        var id = await traffic.CpaAsync();
        await traffic.OutcomeAsync(id, "Approved");
        var filter = ReportTraffic.AroundToday();
        var client = await SignedInAsync(Roles.Analyst);

        var response = await client.GetAsync(Url($"{filter.From:yyyy-MM-dd}", $"{filter.To:yyyy-MM-dd}", "&lender=L1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"loanhub-commissions-{filter.From:yyyy-MM-dd}-{filter.To:yyyy-MM-dd}-lender-L1.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var summary = workbook.Worksheet("Summary");
        Assert.Equal(("L1", "L1-INST", "CPA"), (summary.Cell(2, 1).GetString(), summary.Cell(2, 2).GetString(), summary.Cell(2, 3).GetString()));
        Assert.Equal(200m, summary.Cell(2, 8).GetValue<decimal>());
        Assert.Contains(workbook.Worksheet("Detail").Column(4).CellsUsed(), c => c.GetString() == id);
    }

    [Fact]
    public async Task Operations_manager_may_export_too()
    {
        var client = await SignedInAsync(Roles.OperationsManager);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("2026-01-01", "2026-01-31"))).StatusCode);
    }

    [Fact]
    public async Task Compliance_reviewer_is_forbidden()
    {
        var client = await SignedInAsync(Roles.ComplianceReviewer);
        var response = await client.GetAsync(Url("2026-01-01", "2026-01-31"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Anonymous_request_is_sent_to_sign_in()
    {
        var response = await NewClient().GetAsync(Url("2026-01-01", "2026-01-31"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13-01", "2026-12-31", "from")]
    [InlineData("2026-01-01", "", "to")]
    [InlineData("01/01/2026", "2026-01-31", "from")]
    [InlineData("2026-02-01", "2026-01-31", "to")]
    public async Task Bad_dates_are_400_problem_details(string from, string to, string field)
    {
        var client = await SignedInAsync(Roles.Analyst);
        var response = await client.GetAsync(Url(from, to));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_lender_code_is_400()
    {
        var client = await SignedInAsync(Roles.Analyst);
        var response = await client.GetAsync(Url("2026-01-01", "2026-01-31", "&lender=NOPE"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"lender\"", await response.Content.ReadAsStringAsync());
    }
}
