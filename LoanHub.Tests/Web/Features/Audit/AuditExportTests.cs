using System.Net;
using System.Text;
using LoanHub.Tests.Web.Features.Account;
using LoanHub.Web.Security;

namespace LoanHub.Tests.Web.Features.Audit;

/// <summary>The audit log's CSV export over HTTP, as a signed-in browser downloads it.</summary>
public class AuditExportTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string Password = "Audit-Export-Passw0rd";

    private async Task<HttpClient> SignedInAsync(string role, string acceptLanguage = "en-US")
    {
        var email = await AccountClient.NewUserAsync(host, role, Password);
        var client = AccountClient.For(host, acceptLanguage);
        await client.SignedInAsync(email, Password);
        return client.Http;
    }

    [Fact]
    public async Task The_filtered_log_downloads_as_csv_with_a_bom_headings_in_the_readers_language_and_only_the_area_asked_for()
    {
        var english = await (await SignedInAsync(Roles.Admin)).GetAsync("/audit/export.csv?area=Lenders");
        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        Assert.Equal("text/csv", english.Content.Headers.ContentType?.MediaType);
        var bytes = await english.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("When,Actor,Area,Action,Record,Record ID,Before,After", lines[0]);
        Assert.True(lines.Length > 1); // the seed file's lenders and products
        Assert.All(lines[1..], line => Assert.Contains(",Lenders,", line, StringComparison.Ordinal));

        var chinese = await (await SignedInAsync(Roles.Admin, "zh-CN")).GetAsync("/audit/export.csv?area=Lenders");
        var head = Encoding.UTF8.GetString((await chinese.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n")[0];
        Assert.StartsWith("时间,", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_without_the_audit_log_get_403_and_a_backwards_period_400()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await (await SignedInAsync(Roles.Analyst)).GetAsync("/audit/export.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await (await SignedInAsync(Roles.Admin)).GetAsync("/audit/export.csv?from=2026-12-02&to=2026-12-01")).StatusCode);
    }
}
