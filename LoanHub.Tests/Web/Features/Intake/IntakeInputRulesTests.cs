using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Intake;

/// <summary>Ceilings and text rules at intake: refused with problem details naming the field, and nothing stored.</summary>
public sealed class IntakeInputRulesTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private static int people = 776_000;

    private static JsonObject Body() => ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)));

    [Theory]
    [InlineData("existingMonthlyDebt", "79228162514264337593543950")]
    [InlineData("existingMonthlyDebt", "10000000.01")]
    [InlineData("monthlyIncome", "10000000.01")]
    [InlineData("requestedAmount", "5000000.01")]
    [InlineData("requestedAmount", "20000.001")]
    public async Task An_amount_over_its_ceiling_is_refused_naming_the_field_and_the_next_applicant_is_stored(string field, string amount)
    {
        var body = Body();
        body[field] = JsonValue.Create(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));
        var client = host.CreateClient();
        var before = await CountAsync();

        var refused = await PostAsync(client, body);
        var next = await PostAsync(client, Body());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await ReadAsync(refused))["errors"]?[field]);
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Theory]
    [InlineData("fullName", "王\u0000芳")]
    [InlineData("externalRef", "REF-\u001b[31m")]
    [InlineData("city", "Shang\u0085hai")]
    [InlineData("deviceId", "device\u202e-1")]
    [InlineData("consent.text", "我同意\u0007")]
    [InlineData("nationalId", "\u0000")]
    public async Task A_control_character_in_a_text_field_is_refused_naming_the_field(string field, string value)
    {
        var body = Body();
        if (field.Split('.') is [var outer, var inner]) body[outer]![inner] = value;
        else body[field] = value;
        var before = await CountAsync();

        var refused = await PostAsync(host.CreateClient(), body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.NotNull((await ReadAsync(refused))["errors"]?[field]);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_lone_surrogate_is_refused_and_line_breaks_are_kept_only_in_the_consent_wording()
    {
        var body = Body();
        body["consent"]!["text"] = "第一条：我同意查询征信。\n第二条：我同意向合作机构提供申请信息。";
        var withSurrogate = Body().ToJsonString().Replace("\"Shanghai\"", "\"Shanghai\\ud800\"", StringComparison.Ordinal);
        var client = host.CreateClient();

        var multiline = await PostAsync(client, body);
        using var raw = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = new StringContent(withSurrogate, Encoding.UTF8, "application/json") };
        raw.Headers.Add("X-Api-Key", AdsKey);
        var refused = await client.SendAsync(raw);

        Assert.Equal(HttpStatusCode.Created, multiline.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.NotNull((await ReadAsync(refused))["errors"]?["city"]);
    }

    [Fact]
    public async Task Text_is_stored_composed_and_the_same_application_sent_decomposed_is_a_resubmission()
    {
        var body = Body();
        body["fullName"] = "Zoe\u0308 Mu\u0308ller";
        body["city"] = "Mu\u0308nchen";
        var client = host.CreateClient();

        var created = await PostAsync(client, body);
        body["fullName"] = "Zoë Müller";
        body["city"] = "München";
        var again = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await using var db = host.CreateDbContext();
        var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.ExternalRef == (string)body["externalRef"]!);
        Assert.Equal(("Zoë Müller", "München"), (stored.Applicant.FullName, stored.Applicant.City));
        Assert.True(stored.Applicant.FullName.IsNormalized(NormalizationForm.FormC));
    }

    private async Task<int> CountAsync()
    {
        await using var db = host.CreateDbContext();
        return await db.Applications.CountAsync();
    }
}
