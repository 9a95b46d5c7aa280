using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoanHub.Core.Identity;

namespace LoanHub.Tests.Web.Features.Intake;

/// <summary>Builds valid intake bodies and posts them as a traffic source would.</summary>
internal static class IntakeClient
{
    // Keys of the checked-in example seed file (seed/loanhub.example.json).
    public const string AdsKey = "example-source-ADS-0f3a9c2e";
    public const string AppKey = "example-source-APP-7b1d4e80";

    private static int sequence;

    /// <summary>A salaried Shanghai applicant of 30 that the example file's L1-CASH product accepts.</summary>
    public static JsonObject ValidBody(string? externalRef = null, string? nationalId = null, string? phone = null, string? deviceId = null, string? ip = null)
    {
        var n = Interlocked.Increment(ref sequence);
        return new JsonObject
        {
            ["externalRef"] = externalRef ?? $"T-{Guid.NewGuid():N}",
            ["fullName"] = "王芳",
            ["nationalId"] = nationalId ?? NationalId(n),
            ["phone"] = phone ?? $"139{n % 100_000_000:D8}",
            ["provinceCode"] = "31",
            ["city"] = "Shanghai",
            ["monthlyIncome"] = 12000,
            ["existingMonthlyDebt"] = 1500,
            ["employment"] = "Salaried",
            ["requestedAmount"] = 20000,
            ["termMonths"] = 12,
            ["purpose"] = "Consumption",
            ["deviceId"] = deviceId ?? $"device-{Guid.NewGuid():N}",
            ["ipAddress"] = ip ?? $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}",
            ["bureauScore"] = 760,
            ["consent"] = new JsonObject { ["creditCheck"] = true, ["shareWithLenders"] = true, ["marketing"] = false, ["text"] = "我同意查询征信并向合作机构提供申请信息。" },
        };
    }

    /// <summary>
    /// A valid resident ID of a Shanghai applicant aged about 25 to 50, distinct for every <paramref name="n"/>
    /// below 9 million (birth day and three-digit sequence both vary), so test ranges never collide.
    /// </summary>
    public static string NationalId(int n)
    {
        var day = new DateOnly(1976, 1, 1).AddDays(n % 9000);
        var first17 = $"310104{day:yyyyMMdd}{n / 9000 % 1000:D3}";
        return first17 + ResidentId.CheckCharacterOf(first17);
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonNode body, string? apiKey = AdsKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(body) };
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
}
