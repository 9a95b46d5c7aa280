using System.Net.Http.Json;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Outcomes;

/// <summary>
/// Routes applicants to a chosen product of the example seed file through the intake API: each amount and
/// term below is taken by exactly one product, so the test knows whose contract earns what.
/// </summary>
internal class RoutedLeads(HttpClient client, Func<int> nextPerson)
{
    public const string L1Key = "example-lender-L1-c29e51aa";
    public const string L2Key = "example-lender-L2-5d0b7f13";

    protected HttpClient Client { get; } = client;

    /// <summary>Only L1-CASH (CPS 2 %) takes ¥30,000 over 3 months.</summary>
    public Task<string> CpsAsync(string sourceKey = AdsKey) => RouteAsync(30_000, 3, "L1-CASH", sourceKey);

    /// <summary>Only L1-INST (CPA ¥200) takes ¥100,000 over 24 months.</summary>
    public Task<string> CpaAsync(string sourceKey = AdsKey) => RouteAsync(100_000, 24, "L1-INST", sourceKey);

    /// <summary>Only L2-MICRO (CPL ¥30) takes ¥10,000 over 1 month.</summary>
    public Task<string> CplAsync(string sourceKey = AdsKey) => RouteAsync(10_000, 1, "L2-MICRO", sourceKey);

    /// <summary>Reports an outcome the way the lender would, just now (after the delivery) unless told when, with a fresh event ID.</summary>
    public async Task<HttpResponseMessage> PostbackAsync(string applicationId, string outcome, decimal? funded = null, string key = L1Key,
        DateTimeOffset? occurredAt = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/postbacks")
        {
            Content = JsonContent.Create(new
            {
                eventId = $"EV-{Guid.NewGuid():N}",
                applicationId,
                outcome,
                fundedAmount = funded,
                occurredAt = occurredAt ?? DateTimeOffset.UtcNow,
            }),
        };
        request.Headers.Add("X-Api-Key", key);
        return await Client.SendAsync(request);
    }

    private async Task<string> RouteAsync(decimal amount, int term, string product, string sourceKey)
    {
        var body = ValidBody(nationalId: NationalId(nextPerson()));
        body["requestedAmount"] = amount;
        body["termMonths"] = term;
        var created = await ReadAsync(await PostAsync(Client, body, sourceKey));
        Assert.Equal(product, (string?)created["routedTo"]?["productCode"]);
        return (string)created["applicationId"]!;
    }
}
