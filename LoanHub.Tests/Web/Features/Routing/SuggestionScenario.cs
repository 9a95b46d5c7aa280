using System.Net;
using System.Text.Json.Nodes;
using LoanHub.Web.Features.Learning;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>
/// Traffic and outcomes that give a weight suggestion something to learn: tier A applicants through the intake API, and
/// each product's lender reporting on its leads at a rate the test picks, through the postback API.
/// </summary>
internal static class SuggestionScenario
{
    /// <summary>National IDs of weight-suggestion tests: 920,000 to 929,999.</summary>
    private static int people = 920_000;

    /// <summary>
    /// Posts <paramref name="applicants"/> tier A applicants (bureau 760) and has each product's lender approve its leads at
    /// <paramref name="approvalOf"/>'s rate for it (spread evenly, so the counts are exact), then recounts the learned rates.
    /// </summary>
    /// <returns>How many leads each product took.</returns>
    public static async Task<IReadOnlyDictionary<string, int>> RouteAndReportAsync(HttpClient client, IServiceProvider services, int applicants,
        IReadOnlyDictionary<string, (string LenderKey, double Approval)> approvalOf)
    {
        var routed = new List<(string Id, string Product)>();
        foreach (var _ in Enumerable.Range(0, applicants))
        {
            var id = Interlocked.Increment(ref people);
            Assert.InRange(id, 920_000, 929_999);
            var created = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(id))));
            if (created["routedTo"]?["productCode"] is { } product) routed.Add(((string)created["applicationId"]!, (string)product!));
        }
        foreach (var leads in routed.GroupBy(r => r.Product))
        {
            if (!approvalOf.TryGetValue(leads.Key, out var lender)) continue;
            foreach (var (lead, i) in leads.Select((lead, i) => (lead, i)))
            {
                var approved = Math.Floor((i + 1) * lender.Approval) > Math.Floor(i * lender.Approval);
                var response = await TwoCpaLenders.PostbackAsync(client, lead.Id, approved ? "Approved" : "Declined", lender.LenderKey);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        await services.GetRequiredService<LearnedRatesRefresher>().RefreshAsync();
        return routed.GroupBy(r => r.Product).ToDictionary(g => g.Key, g => g.Count());
    }

    public static JsonObject Object(JsonNode? node) => node!.AsObject();
}
