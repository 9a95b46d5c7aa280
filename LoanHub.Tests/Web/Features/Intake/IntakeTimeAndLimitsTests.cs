using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Intake;

public class IntakeTimeAndLimitsTests
{
    [Fact]
    public async Task Same_person_is_a_duplicate_within_30_days_and_routed_again_after()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        var person = NationalId(600_000);

        Assert.Equal("Routed", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: person))))["status"]);
        clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal("Duplicate", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: person))))["status"]);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal("Routed", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: person))))["status"]);
    }

    [Fact]
    public async Task Source_over_its_rate_gets_429_with_retry_after_and_nothing_stored()
    {
        using var host = new LoanHubHost();
        host.Settings["LoanHub:Intake:PermitsPerSecondPerSource"] = "2";
        var client = host.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PostAsync(client, ValidBody(nationalId: NationalId(600_100 + i)))));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r =>
        {
            Assert.True(r.Headers.RetryAfter is not null, "429 must say when to retry");
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
        await using var db = host.CreateDbContext();
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.Created), await db.Applications.CountAsync());
    }

    [Fact]
    public void Intake_is_idempotent_for_any_sequence_of_resubmissions()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        var run = 0;
        // A submission: which of three references, and which of two bodies for it.
        var submissions =
            from length in Gen.Choose(1, 8)
            from items in Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 2), Gen.Choose(0, 1)), length)
            select items;

        Prop.ForAll(submissions.ToArbitrary(), sequence =>
        {
            var prefix = $"P{Interlocked.Increment(ref run)}-{Guid.NewGuid():N}";
            var first = new Dictionary<int, (int Body, string Id)>();
            var bodies = new Dictionary<(int, int), System.Text.Json.Nodes.JsonObject>();
            foreach (var (reference, variant) in sequence)
            {
                if (!bodies.TryGetValue((reference, variant), out var body))
                {
                    // The same reference and variant always posts the very same body.
                    var twin = bodies.FirstOrDefault(b => b.Key.Item1 == reference).Value;
                    body = twin is not null ? (System.Text.Json.Nodes.JsonObject)twin.DeepClone()
                        : ValidBody(externalRef: $"{prefix}-{reference}", nationalId: NationalId(610_000 + run * 10 + reference), deviceId: $"{prefix}-{reference}");
                    body["requestedAmount"] = 20_000 + variant * 1_000;
                    bodies[(reference, variant)] = body;
                }
                var response = PostAsync(client, body).GetAwaiter().GetResult();
                if (!first.TryGetValue(reference, out var earlier))
                {
                    if (response.StatusCode != HttpStatusCode.Created) return false;
                    first[reference] = (variant, (string)ReadAsync(response).GetAwaiter().GetResult()["applicationId"]!);
                }
                else if (earlier.Body == variant)
                {
                    if (response.StatusCode != HttpStatusCode.OK) return false;
                    if ((string?)ReadAsync(response).GetAwaiter().GetResult()["applicationId"] != earlier.Id) return false;
                }
                else if (response.StatusCode != HttpStatusCode.Conflict)
                {
                    return false;
                }
            }
            using var db = host.CreateDbContext();
            return db.Applications.Count(a => a.ExternalRef.StartsWith(prefix)) == first.Count;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }
}
