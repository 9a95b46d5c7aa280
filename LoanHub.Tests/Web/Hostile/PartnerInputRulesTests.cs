using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Features.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Tests.Web.Hostile;

/// <summary>Body limits, ceilings and text rules of the lender APIs and of configuration files.</summary>
public sealed class PartnerInputRulesTests(HostileHost host) : IClassFixture<HostileHost>
{
    private static int people = 777_000;

    [Theory]
    [InlineData("eventId", "\"EV-\\u0000-1\"")]
    [InlineData("eventId", "\"EV-\\u202e-1\"")]
    [InlineData("fundedAmount", "100000000.01")]
    [InlineData("fundedAmount", "79228162514264337593543950335")]
    [InlineData("occurredAt", "\"1999-12-31T00:00:00Z\"")]
    public async Task A_postback_field_out_of_bounds_is_refused_naming_it_and_books_nothing(string field, string rawValue)
    {
        using var client = host.NewClient();
        var routed = await new RoutedLeads(client, () => Interlocked.Increment(ref people)).CpsAsync();
        var body = new JsonObject
        {
            ["eventId"] = $"EV-{Guid.NewGuid():N}", ["applicationId"] = routed, ["outcome"] = "Funded", ["fundedAmount"] = 20_000m,
            ["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), [field] = "__VALUE__",
        }.ToJsonString().Replace("\"__VALUE__\"", rawValue, StringComparison.Ordinal);

        using var response = await SendAsync(client, HttpMethod.Post, "/api/v1/postbacks", RoutedLeads.L1Key, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())?["errors"]?[field]);
        await using var db = host.CreateDbContext();
        Assert.False(await db.Outcomes.AnyAsync()); // every postback to this host is one of these refusals
    }

    [Theory]
    [InlineData("/api/v1/postbacks", "POST", 8 * 1024 + 1, false)]
    [InlineData("/api/v1/postbacks", "POST", 200_000, true)]
    [InlineData("/api/v1/leads", "GET", 1025, false)]
    [InlineData("/api/v1/applications", "POST", 64 * 1024 + 1, true)]
    public async Task A_body_over_the_endpoints_limit_is_refused_with_413(string path, string method, int size, bool chunked)
    {
        using var client = host.NewClient();
        var key = path.Contains("applications", StringComparison.Ordinal) ? IntakeClient.AdsKey : RoutedLeads.L1Key;
        var body = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('p', size) + "\"}");

        using var response = await client.SendAsync(new HostileRequest("", "", new HttpMethod(method), path, key, body, chunked).ToMessage());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("monthlyBudget", "1e27", "monthlyBudget: must be between 0 and 100,000,000")]
    [InlineData("maxAmount", "100000000.01", "maxAmount: must be between 0 and 100,000,000")]
    [InlineData("dailyCap", "1000001", "dailyCap: must be between 0 and 1,000,000")]
    [InlineData("name", "\"Cash\\u0000loan\"", "name: must not contain control characters")]
    [InlineData("type", "99", "type: must be one of")]
    public async Task A_configuration_file_out_of_bounds_is_refused_naming_the_entry_and_the_field(string field, string rawValue, string message)
    {
        var example = JsonNode.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile))!;
        example["lenders"]![0]!["products"]![0]![field] = "__VALUE__";
        var json = example.ToJsonString().Replace("\"__VALUE__\"", rawValue, StringComparison.Ordinal);

        var refused = Assert.Throws<ConfigurationException>(() => ConfigurationDocument.Parse(json));

        Assert.StartsWith("lenders[0] (L1) products[0] (L1-CASH): ", refused.Message);
        Assert.Contains(message, refused.Message);
    }

    [Fact]
    public void Names_in_a_configuration_file_are_read_composed()
    {
        var example = JsonNode.Parse(File.ReadAllText(LoanHubHost.ExampleSeedFile))!;
        example["sources"]![0]!["name"] = "Cafe\u0301 ads";

        var document = ConfigurationDocument.Parse(example.ToJsonString());

        Assert.Equal("Café ads", document.Sources[0].Name);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string key, byte[] body) =>
        client.SendAsync(new HostileRequest("", "", method, path, key, body).ToMessage());
}
