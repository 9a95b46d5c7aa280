using System.Net;
using System.Text;
using LoanHub.Core.Domain;
using LoanHub.Core.Identity;
using LoanHub.Tests.Web.Features.Account;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>
/// <c>GET /applications/export.csv</c> over the real application, read back as a spreadsheet would read it. National IDs
/// 360,000–364,999; the host is this class's own, so the counts are exactly what these tests posted.
/// </summary>
public class ApplicationsExportTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string Password = "Applications-Export-Passw0rd-1";
    private static int people = 360_000;

    /// <summary>Above every product's largest amount: no product takes it, and it ends unmatched.</summary>
    private const int NoProductAmount = 300_000;

    private async Task<ApplicationId> PostAsync(string name = "王芳", int amount = 20_000, string apiKey = AdsKey, string? nationalId = null)
    {
        var body = ValidBody(nationalId: nationalId ?? NationalId(Interlocked.Increment(ref people)));
        body["fullName"] = name;
        body["requestedAmount"] = amount;
        var response = await Intake.IntakeClient.PostAsync(host.CreateClient(), body, apiKey);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return new ApplicationId(Guid.Parse((string)(await ReadAsync(response))["applicationId"]!));
    }

    private async Task<HttpClient> SignedInAsync(string role, string acceptLanguage = "en-US")
    {
        var email = await AccountClient.NewUserAsync(host, role, Password);
        var client = AccountClient.For(host, acceptLanguage);
        await client.SignedInAsync(email, Password);
        return client.Http;
    }

    private static async Task<List<string[]>> CsvAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        return [.. Rows(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3))];
    }

    /// <summary>RFC 4180 as a spreadsheet reads it: quoted cells may hold separators, doubled quotes and line breaks.</summary>
    private static IEnumerable<string[]> Rows(string text)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                yield return [.. cells];
                cells.Clear();
                i++;
            }
            else cell.Append(c);
        }
        Assert.Empty(cells);
        Assert.Equal(0, cell.Length);
    }

    [Fact]
    public async Task The_export_holds_the_filtered_list_masked_as_the_page_shows_it_under_headings_in_the_users_language()
    {
        var nationalId = NationalId(Interlocked.Increment(ref people));
        await PostAsync(amount: NoProductAmount, nationalId: nationalId);
        await PostAsync(); // routed: not in an export of the unmatched
        var client = await SignedInAsync(Roles.Analyst);

        var english = await CsvAsync(await client.GetAsync("/applications/export.csv?status=Unmatched&source=ADS"));
        var chinese = await CsvAsync(await (await SignedInAsync(Roles.Analyst, "zh-CN")).GetAsync("/applications/export.csv?status=unmatched&source=ads"));

        Assert.Equal(["Received at", "Source", "Name", "National ID", "Phone", "Amount", "Term (months)", "Score", "Risk tier", "Status", "Unmatched cause",
            "Lender", "Product"], english[0]);
        var row = Assert.Single(english.Skip(1));
        Assert.Equal(["ADS", "王*", ResidentId.Mask(nationalId)], row[1..4]);
        Assert.Matches(@"^1\d{2}\*{4}\d{4}$", row[4]);
        Assert.Equal(["300000.00", "12"], row[5..7]);
        Assert.Equal(["Unmatched", "No eligible product", "", ""], row[9..]);
        Assert.DoesNotContain(english.SelectMany(r => r), cell => cell.Contains(nationalId, StringComparison.Ordinal));
        Assert.Equal(["进件时间", "渠道", "姓名", "身份证号", "手机号"], chinese[0][..5]);
        Assert.Equal(["未匹配", "无可用产品"], Assert.Single(chinese.Skip(1))[9..11]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+1+1")]
    [InlineData("-1+1")]
    [InlineData("@SUM(A1)")]
    public async Task A_cell_a_spreadsheet_would_run_as_a_formula_stays_text(string name)
    {
        await PostAsync(name: name, apiKey: AppKey);
        var client = await SignedInAsync(Roles.OperationsManager);

        var rows = await CsvAsync(await client.GetAsync("/applications/export.csv?source=APP"));

        var masked = rows.Skip(1).Select(r => r[2]).Single(n => n.Length > 1 && n[1] == name[0]);
        Assert.Equal("'" + name[0] + new string('*', name.Length - 1), masked);
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0]), cell));
    }

    [Fact]
    public async Task A_signed_in_user_without_a_role_of_the_list_is_forbidden_and_an_anonymous_one_is_sent_to_sign_in()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByEmailAsync(email))!, Roles.Analyst)).Succeeded);
        }
        var roleless = AccountClient.For(host);
        await roleless.SignedInAsync(email, Password);

        var forbidden = await roleless.Http.GetAsync("/applications/export.csv");
        var anonymous = await AccountClient.For(host).Http.GetAsync("/applications/export.csv");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.NotEqual("text/csv", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/Account/Login", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unmatched_applicants_are_counted_by_cause_and_a_cause_narrows_the_list_and_the_export_to_them()
    {
        var refused = await PostAsync(amount: NoProductAmount, apiKey: AppKey);
        var late = await PostAsync(amount: NoProductAmount, apiKey: AppKey);
        var noProduct = await PostAsync(amount: NoProductAmount, apiKey: AppKey);
        var beforeDeliveries = await PostAsync(amount: NoProductAmount, apiKey: AppKey);
        await using (var db = host.CreateDbContext())
        {
            // Causes a delivery leaves, and one stored before causes were (null), written as the store holds them.
            foreach (var (id, cause) in new[] { (refused, (UnmatchedCause?)UnmatchedCause.RefusedByAll), (late, UnmatchedCause.Deadline), (beforeDeliveries, null) })
                db.Entry(await db.Applications.SingleAsync(a => a.Id == id)).Property(a => a.UnmatchedCause).CurrentValue = cause;
            await db.SaveChangesAsync();
        }
        var service = host.Services.CreateScope().ServiceProvider.GetRequiredService<LoanHub.Web.Features.Applications.ApplicationsService>();
        var options = await service.GetFilterOptionsAsync();
        var app = options.Sources.Single(s => s.Code == "APP").Id;
        var analyst = TestUsers.Principal("causes@test.local", Roles.Analyst);
        var filter = new LoanHub.Web.Features.Applications.ApplicationFilter { Source = app };

        var counts = await service.UnmatchedByCauseAsync(filter);
        var noEligible = await service.SearchAsync(filter with { Cause = UnmatchedCause.NoEligibleProduct }, 0, 25, analyst);
        var deadline = await service.SearchAsync(filter with { Cause = UnmatchedCause.Deadline }, 0, 25, analyst);
        var routedOnly = await service.UnmatchedByCauseAsync(filter with { Status = ApplicationStatus.Routed });
        var exported = await CsvAsync(await (await SignedInAsync(Roles.ComplianceReviewer)).GetAsync("/applications/export.csv?source=APP&cause=RefusedByAll"));

        Assert.Equal((2, 1, 1), (counts.NoEligibleProduct, counts.RefusedByAll, counts.Deadline));
        Assert.Equal(new[] { beforeDeliveries, noProduct }, noEligible.Rows.Select(r => r.Id));
        Assert.All(noEligible.Rows, r => Assert.Equal(UnmatchedCause.NoEligibleProduct, r.Cause));
        Assert.Equal(late, Assert.Single(deadline.Rows).Id);
        Assert.Equal(0, routedOnly.Total);
        Assert.Equal("Refused by every eligible lender", Assert.Single(exported.Skip(1))[10]);
    }
}
