using System.Text.RegularExpressions;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Features.Reports;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Reports;

/// <summary>
/// Puts leads on the ledger of a host as sources and lenders would: applicants routed to a chosen product of the
/// example seed, then outcomes through the postback API. National IDs come from the reports' range (500,000–549,999).
/// </summary>
internal sealed partial class ReportTraffic(HttpClient client, Func<int> nextPerson) : RoutedLeads(client, nextPerson)
{
    public async Task OutcomeAsync(string applicationId, string outcome, decimal? funded = null, string key = L1Key)
    {
        var response = await PostbackAsync(applicationId, outcome, funded, key);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Yesterday to tomorrow in China Standard Time: today's traffic, whatever the hour the tests run.</summary>
    public static ReportFilter AroundToday(string? lender = null, string? product = null, string? source = null)
    {
        var today = BusinessDay.Of(DateTimeOffset.UtcNow);
        return new ReportFilter(today.AddDays(-1), today.AddDays(1), lender, product, source);
    }

    /// <summary>Signs in through the real login form; the client keeps the cookie.</summary>
    /// <summary>Signs <paramref name="client"/> in through the sign-in form, as a browser does.</summary>
    public static Task SignInAsync(HttpClient client, string email, string password) => new Account.AccountClient(client).SignedInAsync(email, password);
}
