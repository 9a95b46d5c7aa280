using System.Net;
using System.Text;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Intake;

public class IntakeApiTests : IClassFixture<LoanHubHost>
{
    private readonly LoanHubHost host;
    private readonly HttpClient client;

    public IntakeApiTests(LoanHubHost host)
    {
        this.host = host;
        client = host.CreateClient();
    }

    [Fact]
    public async Task Valid_applicant_is_routed_and_answered_201()
    {
        var response = await PostAsync(client, ValidBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal("Routed", (string?)body["status"]);
        Assert.Contains((string?)body["routedTo"]!["lenderCode"], new[] { "L1", "L2" });
        Assert.True(Guid.TryParse((string?)body["applicationId"], out _));
    }

    [Fact]
    public async Task Missing_or_unknown_key_is_401_and_nothing_is_stored()
    {
        var before = await CountApplicationsAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, ValidBody(), apiKey: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, ValidBody(), apiKey: "not-a-key")).StatusCode);
        Assert.Equal(before, await CountApplicationsAsync());
    }

    [Fact]
    public async Task Invalid_fields_are_all_named_in_a_422_and_nothing_is_stored()
    {
        var body = ValidBody();
        body["nationalId"] = "310104199601010021";
        body["phone"] = "12345";
        body["termMonths"] = 0;
        body["employment"] = "Astronaut";
        body["ipAddress"] = "300.1.1.1";
        var before = await CountApplicationsAsync();

        var response = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ReadAsync(response))["errors"]!.AsObject();
        Assert.Equal(["employment", "ipAddress", "nationalId", "phone", "termMonths"], errors.Select(e => e.Key).Order());
        Assert.Equal(before, await CountApplicationsAsync());
    }

    [Theory]
    [InlineData("creditCheck")]
    [InlineData("shareWithLenders")]
    public async Task Required_consent_missing_is_422(string consent)
    {
        var body = ValidBody();
        body["consent"]![consent] = false;
        var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"consent.{consent}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Same_reference_and_body_again_returns_the_original_answer_without_storing_anything()
    {
        var body = ValidBody();
        var first = await ReadAsync(await PostAsync(client, body));
        var before = await CountApplicationsAsync();

        var again = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.ToJsonString(), (await ReadAsync(again)).ToJsonString());
        Assert.Equal(before, await CountApplicationsAsync());
    }

    [Fact]
    public async Task Same_reference_with_a_different_body_is_409()
    {
        var body = ValidBody();
        await PostAsync(client, body);
        body["requestedAmount"] = 25000;
        var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Same_reference_from_another_source_is_a_new_application()
    {
        var body = ValidBody();
        await PostAsync(client, body);
        body["nationalId"] = NationalId(900_001); // another person, so it is not a duplicate either
        var response = await PostAsync(client, body, AppKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_resubmissions_store_one_application()
    {
        var body = ValidBody();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PostAsync(host.CreateClient(), body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        var ids = await Task.WhenAll(responses.Select(async r => (string?)(await ReadAsync(r))["applicationId"]));
        Assert.Single(ids.Distinct());
        await using var db = host.CreateDbContext();
        Assert.Equal(1, await db.Applications.CountAsync(a => a.ExternalRef == (string)body["externalRef"]!));
    }

    [Fact]
    public async Task Source_reads_its_own_application_but_another_source_gets_404()
    {
        var created = await ReadAsync(await PostAsync(client, ValidBody()));
        var id = (string)created["applicationId"]!;

        using var own = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/applications/{id}");
        own.Headers.Add("X-Api-Key", AdsKey);
        var mine = await client.SendAsync(own);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("Routed", (string?)(await ReadAsync(mine))["status"]);

        using var other = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/applications/{id}");
        other.Headers.Add("X-Api-Key", AppKey);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(other)).StatusCode);
    }

    [Fact]
    public async Task Body_over_64_KiB_is_refused()
    {
        var body = ValidBody();
        body["consent"]!["text"] = new string('x', 70_000);
        var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Duplicate_national_id_within_30_days_is_not_routed_twice()
    {
        var nationalId = NationalId(900_002);
        var first = await ReadAsync(await PostAsync(client, ValidBody(nationalId: nationalId)));
        var second = await ReadAsync(await PostAsync(client, ValidBody(nationalId: nationalId)));

        Assert.Equal("Routed", (string?)first["status"]);
        Assert.Equal("Duplicate", (string?)second["status"]);
        Assert.Null(second["routedTo"]);
    }

    [Fact]
    public async Task Personal_data_is_encrypted_at_rest_and_consent_wording_is_kept()
    {
        var body = ValidBody(nationalId: NationalId(900_003), phone: "13712345678");
        body["fullName"] = "欧阳娜娜";
        var id = (string)(await ReadAsync(await PostAsync(client, body)))["applicationId"]!;

        var raw = await StoreFiles.ReadAllAsTextAsync(host.DatabasePath);
        Assert.DoesNotContain(NationalId(900_003), raw);
        Assert.DoesNotContain("13712345678", raw);
        Assert.DoesNotContain(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("欧阳娜娜")), raw);

        await using var db = host.CreateDbContext();
        var stored = await db.Applications.SingleAsync(a => a.Id == new ApplicationId(Guid.Parse(id)));
        Assert.Equal(NationalId(900_003), stored.Applicant.NationalId);
        Assert.Equal("欧阳娜娜", stored.Applicant.FullName);
        Assert.Equal((string)body["consent"]!["text"]!, stored.Consent.Text);
    }

    [Fact]
    public async Task Decision_record_explains_the_decision()
    {
        var body = ValidBody();
        body["requestedAmount"] = 30000; // above L2-MICRO's maximum of 20,000
        var id = (string)(await ReadAsync(await PostAsync(client, body)))["applicationId"]!;
        await using var db = host.CreateDbContext();
        var assessment = await db.Assessments.SingleAsync(a => a.ApplicationId == new ApplicationId(Guid.Parse(id)));
        var record = LoanHub.Core.Engine.DecisionRecord.FromJson(assessment.DecisionRecordJson);

        Assert.Equal(Decision.Route, assessment.Decision);
        Assert.InRange(record.Score, 300, 1000);
        var micro = Assert.Single(record.Products, p => p.ProductCode == "L2-MICRO");
        Assert.False(micro.IsEligible);
        Assert.Contains(micro.Reasons, r => r.Code == "AMOUNT_OUT_OF_RANGE");
        Assert.NotNull(record.Allocation);
        Assert.NotEmpty(record.Allocation!.HowDrawn);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_intake_endpoints()
    {
        var json = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/applications", json);
        Assert.Contains("\"PostApplication\"", json);
    }

    private async Task<int> CountApplicationsAsync()
    {
        await using var db = host.CreateDbContext();
        return await db.Applications.CountAsync();
    }
}
