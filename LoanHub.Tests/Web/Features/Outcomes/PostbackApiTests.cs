using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Outcomes;

public class PostbackApiTests : IClassFixture<LoanHubHost>
{
    private const string L1Key = RoutedLeads.L1Key;
    private const string L2Key = RoutedLeads.L2Key;
    private static int people = 470_000;

    private readonly LoanHubHost host;
    private readonly HttpClient client;
    private readonly RoutedLeads leads;

    public PostbackApiTests(LoanHubHost host)
    {
        this.host = host;
        client = host.CreateClient();
        leads = new RoutedLeads(client, () => Interlocked.Increment(ref people));
    }

    private Task<string> RoutedToCpsAsync() => leads.CpsAsync();
    private Task<string> RoutedToCpaAsync() => leads.CpaAsync();
    private Task<string> RoutedToCplAsync() => leads.CplAsync();

    private async Task<HttpResponseMessage> PostbackAsync(object body, string? key = L1Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/postbacks") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }

    private static object Event(string applicationId, string outcome, decimal? funded = null, string? eventId = null, DateTimeOffset? at = null) => new
    {
        eventId = eventId ?? $"EV-{Guid.NewGuid():N}",
        applicationId,
        outcome,
        fundedAmount = funded,
        occurredAt = at ?? DateTimeOffset.UtcNow, // an outcome cannot precede the delivery, which was just now
    };

    private async Task<List<CommissionEntry>> LedgerAsync(string applicationId)
    {
        await using var db = host.CreateDbContext();
        var id = new LoanHub.Core.Domain.ApplicationId(Guid.Parse(applicationId));
        return await db.CommissionEntries.Where(e => e.ApplicationId == id).OrderBy(e => e.OccurredAt).ToListAsync();
    }

    [Fact]
    public async Task Cps_lead_approved_then_funded_earns_rate_times_funded_amount_rounded()
    {
        var id = await RoutedToCpsAsync();
        var approved = await PostbackAsync(Event(id, "Approved"));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(0m, (decimal)(await ReadAsync(approved))["commission"]!);

        var funded = await PostbackAsync(Event(id, "Funded", 12_345.25m));

        Assert.Equal(HttpStatusCode.OK, funded.StatusCode);
        var body = await ReadAsync(funded);
        Assert.Equal("Funded", (string?)body["deliveryStatus"]);
        Assert.Equal(246.91m, (decimal)body["commission"]!); // 2 % of 12,345.25 = 246.905, half away from zero
        var ledger = await LedgerAsync(id);
        Assert.Equal([CommissionEvent.Delivered, CommissionEvent.Approved, CommissionEvent.Funded], ledger.Select(e => e.Event).Order());
        var entry = Assert.Single(ledger, e => e.Amount != 0m);
        Assert.Equal((CommissionEvent.Funded, 246.91m, 12_345.25m), (entry.Event, entry.Amount, entry.FundedAmount!.Value));
    }

    [Fact]
    public async Task Cpa_lead_earns_on_approval_only()
    {
        var id = await RoutedToCpaAsync();
        var approved = await ReadAsync(await PostbackAsync(Event(id, "Approved")));
        Assert.Equal(200m, (decimal)approved["commission"]!);
        await PostbackAsync(Event(id, "Funded", 90_000m));
        var ledger = await LedgerAsync(id);
        Assert.Equal(3, ledger.Count);
        var entry = Assert.Single(ledger, e => e.Amount != 0m);
        Assert.Equal((CommissionEvent.Approved, 200m), (entry.Event, entry.Amount));
    }

    [Fact]
    public async Task Cpl_lead_earned_at_delivery_and_nothing_more_on_approval()
    {
        var id = await RoutedToCplAsync();
        var approved = await ReadAsync(await PostbackAsync(Event(id, "Approved"), L2Key));
        Assert.Equal(0m, (decimal)approved["commission"]!);
        var ledger = await LedgerAsync(id);
        Assert.Equal(2, ledger.Count);
        var entry = Assert.Single(ledger, e => e.Amount != 0m);
        Assert.Equal((CommissionEvent.Delivered, 30m), (entry.Event, entry.Amount));
    }

    [Fact]
    public async Task Declined_lead_accepts_no_further_outcome()
    {
        var id = await RoutedToCpsAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostbackAsync(Event(id, "Declined"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostbackAsync(Event(id, "Approved"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostbackAsync(Event(id, "Funded", 1_000m))).StatusCode);
        Assert.Equal([CommissionEvent.Delivered], (await LedgerAsync(id)).Select(e => e.Event));
    }

    [Fact]
    public async Task Funding_before_approval_is_409_and_changes_nothing()
    {
        var id = await RoutedToCpsAsync();
        var response = await PostbackAsync(Event(id, "Funded", 10_000m));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await PostbackAsync(Event(id, "Approved"))).StatusCode); // still deliverable
    }

    [Fact]
    public async Task Approving_twice_is_409()
    {
        var id = await RoutedToCpaAsync();
        await PostbackAsync(Event(id, "Approved"));
        Assert.Equal(HttpStatusCode.Conflict, (await PostbackAsync(Event(id, "Approved"))).StatusCode);
        Assert.Single(await LedgerAsync(id), e => e.Event == CommissionEvent.Approved);
    }

    [Fact]
    public async Task Same_event_again_returns_the_first_answer_and_books_nothing_more()
    {
        var id = await RoutedToCpaAsync();
        var ev = Event(id, "Approved", eventId: "EV-REPLAY-1");
        var first = await (await PostbackAsync(ev)).Content.ReadAsStringAsync();
        var again = await PostbackAsync(ev);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first, await again.Content.ReadAsStringAsync());
        Assert.Single(await LedgerAsync(id), e => e.Event == CommissionEvent.Approved);
    }

    [Theory]
    [InlineData("Declined")]
    [InlineData("Funded")]
    public async Task Same_event_again_answers_as_the_first_time_whatever_the_outcome(string outcome)
    {
        var id = await RoutedToCpsAsync(); // CPS 2 %: the funding earns, the decline does not
        if (outcome == "Funded") await PostbackAsync(Event(id, "Approved"));
        var ev = Event(id, outcome, outcome == "Funded" ? 10_000m : null, eventId: $"EV-REPLAY-{Guid.NewGuid():N}");
        var first = await PostbackAsync(ev);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var again = await PostbackAsync(ev);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Answer(await ReadAsync(first)), Answer(await ReadAsync(again)));

        // Money by value: the first answer says 200.00, the stored amount 200.
        static (string?, string?, string?, string?, decimal?, decimal) Answer(JsonObject body) =>
            ((string?)body["eventId"], (string?)body["applicationId"], (string?)body["outcome"], (string?)body["deliveryStatus"],
                (decimal?)body["fundedAmount"], (decimal)body["commission"]!);
    }

    [Fact]
    public async Task Same_event_with_a_different_body_is_409()
    {
        var id = await RoutedToCpaAsync();
        await PostbackAsync(Event(id, "Approved", eventId: "EV-DIFF-1"));
        Assert.Equal(HttpStatusCode.Conflict, (await PostbackAsync(Event(id, "Declined", eventId: "EV-DIFF-1"))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_copies_of_one_event_are_applied_once()
    {
        var id = await RoutedToCpaAsync();
        var eventId = $"EV-CONC-{Guid.NewGuid():N}";
        var ev = Event(id, "Approved", eventId: eventId);
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostbackAsync(ev)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single((await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct());
        Assert.Single(await LedgerAsync(id), e => e.Event == CommissionEvent.Approved);
        await using var db = host.CreateDbContext();
        Assert.Equal(1, await db.Outcomes.CountAsync(o => o.EventId == eventId));
    }

    [Fact]
    public async Task Another_lenders_application_is_404()
    {
        var id = await RoutedToCpaAsync(); // routed to L1
        Assert.Equal(HttpStatusCode.NotFound, (await PostbackAsync(Event(id, "Approved"), L2Key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostbackAsync(Event(Guid.NewGuid().ToString(), "Approved"))).StatusCode);
    }

    [Fact]
    public async Task Missing_or_unknown_lender_key_is_401()
    {
        var id = await RoutedToCpaAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostbackAsync(Event(id, "Approved"), key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostbackAsync(Event(id, "Approved"), key: AdsKey)).StatusCode); // a source key is no lender key
    }

    [Theory]
    [InlineData("Pending", null, "outcome")]
    [InlineData("Funded", null, "fundedAmount")]
    [InlineData("Funded", "-5", "fundedAmount")]
    [InlineData("Approved", "1000", "fundedAmount")]
    public async Task Invalid_fields_are_422_naming_the_field(string outcome, string? funded, string field)
    {
        var id = await RoutedToCpsAsync();
        var response = await PostbackAsync(Event(id, outcome, funded is null ? null : decimal.Parse(funded)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await ReadAsync(response))["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task Future_event_time_and_funding_above_the_request_are_422()
    {
        var id = await RoutedToCpsAsync();
        var future = await PostbackAsync(Event(id, "Approved", at: DateTimeOffset.UtcNow.AddHours(2)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);
        Assert.Contains("occurredAt", await future.Content.ReadAsStringAsync());

        await PostbackAsync(Event(id, "Approved"));
        var tooMuch = await PostbackAsync(Event(id, "Funded", 30_000.01m));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        Assert.Contains("fundedAmount", await tooMuch.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Postback_endpoint_is_in_the_OpenApi_document()
    {
        var json = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(json["paths"]!["/api/v1/postbacks"]);
    }
}
