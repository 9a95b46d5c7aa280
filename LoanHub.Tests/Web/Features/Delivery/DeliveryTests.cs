using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>Delivery end to end: the real application calls lender stubs on Kestrel ports over HTTP.</summary>
public class DeliveryTests(DeliveryHost fixture) : IClassFixture<DeliveryHost>
{
    private static int people = 600_000;
    private readonly HttpClient client = fixture.Client;

    private static JsonObject Applicant(string province = "31")
    {
        var body = ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)));
        body["provinceCode"] = province;
        return body;
    }

    private async Task<(HttpResponseMessage Response, JsonObject Body)> SubmitAsync(JsonObject applicant)
    {
        var response = await PostAsync(client, applicant, DeliveryHost.SourceKey);
        return (response, await ReadAsync(response));
    }

    private static IReadOnlyList<StubRequest> For(LenderStub stub, string deliveryId) =>
        [.. stub.Received.Where(r => r.IdempotencyKey.StartsWith(deliveryId + ":", StringComparison.Ordinal))];

    private void Reset()
    {
        fixture.L1.OnPrecheck = _ => StubReply.Accept();
        fixture.L1.OnPost = _ => StubReply.AcceptPost("L1-REF", "https://l1.example/continue");
        fixture.L2.OnPost = _ => StubReply.AcceptPost("L2-REF", "https://l2.example/continue");
    }

    [Fact]
    public async Task Lead_is_prechecked_with_hashes_only_then_posted_signed_and_the_source_hears_lenderRef_and_redirectUrl()
    {
        Reset();
        var applicant = Applicant();
        var (response, body) = await SubmitAsync(applicant);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Routed", (string?)body["status"]);
        Assert.Equal("L1-CASH", (string?)body["routedTo"]?["productCode"]);
        Assert.Equal("L1-REF", (string?)body["routedTo"]?["lenderRef"]);
        Assert.Equal("https://l1.example/continue", (string?)body["routedTo"]?["redirectUrl"]);

        var attempt = Assert.Single(await fixture.AttemptsAsync((string)body["applicationId"]!));
        Assert.Equal(AttemptOutcome.Accepted, attempt.Outcome);
        var calls = For(fixture.L1, attempt.Id.ToString());
        Assert.Equal([$"{attempt.Id}:precheck", $"{attempt.Id}:post"], calls.Select(c => c.IdempotencyKey));
        Assert.All(calls, c => Assert.True(c.SignatureValid));

        var precheck = calls[0].Body;
        var phone = (string)applicant["phone"]!;
        var nationalId = (string)applicant["nationalId"]!;
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(phone))), (string?)precheck["phoneMd5"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(nationalId.ToUpperInvariant()))), (string?)precheck["nationalIdSha256"]);
        var precheckText = precheck.ToJsonString();
        Assert.DoesNotContain(phone, precheckText);
        Assert.DoesNotContain(nationalId, precheckText);
        Assert.DoesNotContain((string)applicant["fullName"]!, precheckText);
        Assert.Equal("L1-CASH", (string?)precheck["productCode"]);

        var post = calls[1].Body;
        Assert.Equal((string)body["applicationId"]!, (string?)post["applicationId"]);
        Assert.Equal(nationalId, (string?)post["applicant"]?["nationalId"]);
        Assert.Equal(phone, (string?)post["applicant"]?["phone"]);
        Assert.True((bool?)post["consent"]?["shareWithLenders"]);
        Assert.Equal((string)applicant["consent"]!["text"]!, (string?)post["consent"]?["text"]);
        Assert.NotNull((string?)post["risk"]?["tier"]);
    }

    [Fact]
    public async Task Precheck_refusal_excludes_every_product_of_that_lender_and_the_lead_lands_on_the_next()
    {
        Reset();
        fixture.L1.OnPrecheck = _ => StubReply.Refuse("existing customer");
        var (response, body) = await SubmitAsync(Applicant());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("L2-MICRO", (string?)body["routedTo"]?["productCode"]);
        var attempts = await fixture.AttemptsAsync((string)body["applicationId"]!);
        Assert.Collection(attempts,
            first => { Assert.Equal(AttemptOutcome.Refused, first.Outcome); Assert.Equal(CallResult.Refused, first.PrecheckResult); Assert.Equal("existing customer", first.Reason); Assert.Null(first.PostResult); },
            second => Assert.Equal(AttemptOutcome.Accepted, second.Outcome));
        // L1-INST, L1's other product, was never offered: L1 heard one pre-check and no post for this person.
        Assert.Single(For(fixture.L1, attempts[0].Id.ToString()));
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public async Task Post_refusal_excludes_only_that_product_and_the_lenders_next_product_is_offered()
    {
        Reset();
        fixture.L1.OnPost = r => (string?)r.Body["productCode"] == "L1-CASH" ? StubReply.Refuse("outside appetite") : StubReply.AcceptPost("INST-REF", "https://l1.example/inst");
        var (_, body) = await SubmitAsync(Applicant());

        Assert.Equal("L1-INST", (string?)body["routedTo"]?["productCode"]);
        Assert.Equal("INST-REF", (string?)body["routedTo"]?["lenderRef"]);
        var attempts = await fixture.AttemptsAsync((string)body["applicationId"]!);
        Assert.Equal(["L1-CASH refused at post: outside appetite", "accepted"],
            attempts.Select(a => a.Outcome == AttemptOutcome.Accepted ? "accepted" : $"L1-CASH refused at post: {a.Reason}"));
        Assert.Equal(CallResult.Accepted, attempts[0].PrecheckResult);
        Assert.Equal(CallResult.Refused, attempts[0].PostResult);
    }

    [Fact]
    public async Task Errors_at_every_lender_end_unmatched_refused_by_all_with_each_reason_recorded()
    {
        Reset();
        fixture.L1.OnPrecheck = _ => StubReply.Status(500);
        fixture.L2.OnPost = _ => StubReply.Garbage();
        var (response, body) = await SubmitAsync(Applicant());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Unmatched", (string?)body["status"]);
        Assert.Null(body["routedTo"]);
        var id = (string)body["applicationId"]!;
        Assert.Equal(UnmatchedCause.RefusedByAll, (await fixture.ApplicationAsync(id)).UnmatchedCause);
        var attempts = await fixture.AttemptsAsync(id);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Failed], attempts.Select(a => a.Outcome));
        Assert.Contains("500", attempts[0].Reason);
        Assert.Contains("JSON", attempts[1].Reason);
    }

    [Fact]
    public async Task Redirect_is_a_refusal_and_is_never_followed()
    {
        Reset();
        fixture.L1.OnPrecheck = _ => StubReply.Redirect(fixture.L1.BaseUrl + "elsewhere");
        var before = fixture.L1.Received.Count(r => r.Path == "/elsewhere");
        var (_, body) = await SubmitAsync(Applicant());

        Assert.Equal("L2-MICRO", (string?)body["routedTo"]?["productCode"]);
        Assert.Equal(before, fixture.L1.Received.Count(r => r.Path == "/elsewhere"));
        Assert.Contains("redirect", (await fixture.AttemptsAsync((string)body["applicationId"]!))[0].Reason);
    }

    [Fact]
    public async Task Lenders_that_hang_end_the_delivery_at_the_deadline_and_the_source_is_answered_in_time()
    {
        Reset();
        fixture.L1.OnPrecheck = _ => StubReply.Hang();
        fixture.L2.OnPost = _ => StubReply.Hang();
        var watch = Stopwatch.StartNew();
        var (response, body) = await SubmitAsync(Applicant());
        watch.Stop();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Unmatched", (string?)body["status"]);
        var id = (string)body["applicationId"]!;
        Assert.Equal(UnmatchedCause.Deadline, (await fixture.ApplicationAsync(id)).UnmatchedCause);
        var attempts = await fixture.AttemptsAsync(id);
        Assert.Equal([AttemptOutcome.TimedOut, AttemptOutcome.TimedOut], attempts.Select(a => a.Outcome));
        // The deadline is 1.5 s, L1's timeout 1 s and L2's 5 s: L2's call got only what was left of the deadline.
        Assert.InRange(attempts[1].PostLatencyMs!.Value, 1, 3000);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task Resubmission_after_delivery_answers_the_final_placement()
    {
        Reset();
        var applicant = Applicant();
        var (_, first) = await SubmitAsync(applicant);
        var (again, second) = await SubmitAsync(applicant);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Single(await fixture.AttemptsAsync((string)first["applicationId"]!));
    }

    [Fact]
    public async Task Postback_on_a_lead_the_lender_refused_is_404_and_on_the_accepted_one_is_taken()
    {
        Reset();
        fixture.L1.OnPrecheck = _ => StubReply.Refuse("no");
        var (_, body) = await SubmitAsync(Applicant());
        var id = (string)body["applicationId"]!;

        Assert.Equal(HttpStatusCode.NotFound, (await PostbackAsync(id, DeliveryHost.L1Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostbackAsync(id, DeliveryHost.L2Key)).StatusCode);
    }

    private Task<HttpResponseMessage> PostbackAsync(string applicationId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/postbacks")
        {
            Content = JsonContent.Create(new { eventId = $"EV-{Guid.NewGuid():N}", applicationId, outcome = "Approved", occurredAt = DateTimeOffset.UtcNow }),
        };
        request.Headers.Add("X-Api-Key", key);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task Pull_lender_reads_its_own_leads_oldest_first_and_pages_on_with_the_cursor()
    {
        Reset();
        var (_, firstLead) = await SubmitAsync(Applicant(province: "44"));
        var (_, secondLead) = await SubmitAsync(Applicant(province: "44"));
        Assert.Equal("L3-PULL", (string?)firstLead["routedTo"]?["productCode"]);

        var all = await LeadsAsync(DeliveryHost.L3Key, "limit=500");
        var ids = all["leads"]!.AsArray().Select(l => (string)l!["applicationId"]!).ToList();
        var a = ids.IndexOf((string)firstLead["applicationId"]!);
        var b = ids.IndexOf((string)secondLead["applicationId"]!);
        Assert.True(a >= 0 && b > a, "both leads, oldest first");
        var lead = all["leads"]![a]!;
        Assert.Equal("L3-PULL", (string?)lead["productCode"]);
        Assert.NotNull((string?)lead["applicant"]?["nationalId"]);
        Assert.True((bool?)lead["consent"]?["shareWithLenders"]);

        var page = await LeadsAsync(DeliveryHost.L3Key, "limit=1");
        var rest = await LeadsAsync(DeliveryHost.L3Key, $"after={page["next"]}&limit=500");
        Assert.Equal(ids, page["leads"]!.AsArray().Concat(rest["leads"]!.AsArray()).Select(l => (string)l!["applicationId"]!));
        var end = await LeadsAsync(DeliveryHost.L3Key, $"after={rest["next"]}");
        Assert.Empty(end["leads"]!.AsArray());
        Assert.Equal((string?)rest["next"], (string?)end["next"]);

        // Push lenders' leads are not in anyone's pull feed, and nobody reads another lender's.
        var l2 = await LeadsAsync(DeliveryHost.L2Key, "limit=500");
        Assert.DoesNotContain(l2["leads"]!.AsArray(), l => ids.Contains((string)l!["applicationId"]!));
    }

    [Fact]
    public async Task Leads_api_needs_a_lender_key_and_valid_paging()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/leads")).StatusCode);
        foreach (var query in new[] { "limit=0", "limit=501", "after=-1", "after=abc" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/leads?{query}");
            request.Headers.Add("X-Api-Key", DeliveryHost.L3Key);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.SendAsync(request)).StatusCode);
        }
    }

    private async Task<JsonObject> LeadsAsync(string key, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/leads?{query}");
        request.Headers.Add("X-Api-Key", key);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    [Fact]
    public async Task Approved_review_is_delivered_like_intake_and_the_reviewer_hears_where_it_landed_or_why_not()
    {
        Reset();
        var device = $"ring-{Guid.NewGuid():N}";
        var ring = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var applicant = Applicant();
            applicant["deviceId"] = device; // a shared device: held for review as a ring
            ring.Add((string)(await SubmitAsync(applicant)).Body["applicationId"]!);
        }
        List<Guid> cases;
        await using (var db = fixture.Host.CreateDbContext())
        {
            var ids = ring.Select(r => new LoanHub.Core.Domain.ApplicationId(Guid.Parse(r))).ToList();
            cases = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.ReviewCases.Where(c => ids.Contains(c.ApplicationId)).OrderBy(c => c.OpenedAt).Select(c => c.Id));
        }
        Assert.True(cases.Count >= 2);

        fixture.L1.OnPrecheck = _ => StubReply.Refuse("existing customer");
        var routed = Assert.Single(await fixture.Engine.DecideReviewsAsync([cases[0]], approve: true, "reviewer@test.local", "Verified", CancellationToken.None));
        Assert.Equal(ApplicationStatus.Routed, routed.Status);
        Assert.Equal(("L2", "L2-REF"), (routed.RoutedTo?.LenderCode, routed.RoutedTo?.LenderRef));
        Assert.Equal(2, (await fixture.AttemptsAsync(routed.ApplicationId.ToString())).Count);

        fixture.L2.OnPost = _ => StubReply.Refuse("no");
        var unmatched = Assert.Single(await fixture.Engine.DecideReviewsAsync([cases[1]], approve: true, "reviewer@test.local", "Verified", CancellationToken.None));
        Assert.Equal(ApplicationStatus.Unmatched, unmatched.Status);
        Assert.Equal(UnmatchedCause.RefusedByAll, (await fixture.ApplicationAsync(unmatched.ApplicationId.ToString())).UnmatchedCause);
    }
}
