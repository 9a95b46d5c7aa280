using System.Net.Http.Json;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web;

/// <summary>
/// A store of two pull lenders, T1 and T2, each with one CPA product that takes every applicant of the intake client,
/// weighted 50/50: they differ only in what their lenders report, which is what tests of learning from outcomes need.
/// </summary>
internal static class TwoCpaLenders
{
    /// <summary>The seed file, written to a temporary path, with <paramref name="strategy"/> as the routing strategy.</summary>
    public static string SeedFile(string t1Key, string t2Key, string strategy)
    {
        static string Lender(string code, string key) => $$"""
            { "code": "{{code}}", "name": "Lender {{code}}", "apiKey": "{{key}}",
              "products": [ { "code": "{{code}}-LOAN", "name": "Loan", "type": "CashLoan",
                "minAmount": 1000, "maxAmount": 50000, "minTermMonths": 3, "maxTermMonths": 24, "minAge": 18, "maxAge": 60,
                "minScore": 0, "minMonthlyIncome": 0, "provinces": [], "employment": [], "maxTier": "E",
                "dailyCap": null, "monthlyBudget": null, "weight": 50, "priority": 1, "commission": { "model": "CPA", "amount": 200 } } ] }
            """;
        var path = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"two-lenders-{strategy}-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $$"""
            { "sources": [ { "code": "ADS", "name": "Ad campaigns", "apiKey": "{{AdsKey}}" } ],
              "lenders": [ {{Lender("T1", t1Key)}}, {{Lender("T2", t2Key)}} ],
              "routing": { "strategy": "{{strategy}}" } }
            """);
        return path;
    }

    /// <summary>The lender with <paramref name="key"/> reports <paramref name="outcome"/> on a lead through the postback API.</summary>
    public static async Task<HttpResponseMessage> PostbackAsync(HttpClient client, string applicationId, string outcome, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/postbacks")
        {
            Content = JsonContent.Create(new { eventId = $"EV-{Guid.NewGuid():N}", applicationId, outcome, occurredAt = DateTimeOffset.UtcNow }),
        };
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }
}
