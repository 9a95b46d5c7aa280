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

    private HttpClient NewClient() =>
        host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

    private async Task<HttpClient> SignedInAsync(string role)
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
        var client = NewClient();
        await ReportTraffic.SignInAsync(client, email, Password);
        return client;
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
        Assert.Equal($"loanhub-commissions-{filter.From:yyyy-MM-dd}-{filter.To:yyyy-MM-dd}.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
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
