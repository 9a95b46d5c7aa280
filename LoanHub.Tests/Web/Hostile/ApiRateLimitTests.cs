using System.Net;
using System.Net.Http.Json;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Hostile;

/// <summary>Rate limits of the partner APIs, over real HTTP: a bucket per valid partner, one per address for the rest.</summary>
public sealed class ApiRateLimitTests
{
    private static int people = 775_000;

    private static HostileHost Start(int partnerPermits, int addressPermits)
    {
        var host = new HostileHost();
        host.Settings[ApiRateLimits.PartnerPermitsSetting] = partnerPermits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Settings[ApiRateLimits.AddressPermitsSetting] = addressPermits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return host;
    }

    [Fact]
    public async Task Made_up_keys_and_calls_without_a_key_share_their_address_bucket_while_a_valid_source_keeps_its_own()
    {
        using var host = Start(partnerPermits: 1_000, addressPermits: 5);
        using var client = host.NewClient();

        var guesses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            IntakeClient.PostAsync(client, IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(Next())), i % 3 == 0 ? null : $"{HostileCorpus.MadeUpKey}{i}")));
        var valid = await IntakeClient.PostAsync(client, IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(Next())));

        var limited = guesses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count >= 15, $"only {limited.Count} of 30 calls without a valid key were limited by their address's 5 a second");
        Assert.All(guesses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.All(limited, r =>
        {
            Assert.NotNull(r.Headers.RetryAfter);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task A_partner_over_its_rate_is_limited_and_another_partner_is_not()
    {
        using var host = Start(partnerPermits: 3, addressPermits: 1_000);
        using var client = host.NewClient();

        var pulls = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => LeadsAsync(client, RoutedLeads.L1Key)));
        var posts = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            IntakeClient.PostAsync(client, IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(Next())))));
        var otherLender = await LeadsAsync(client, RoutedLeads.L2Key);
        var otherSource = await IntakeClient.PostAsync(client, IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(Next())), IntakeClient.AppKey);

        Assert.True(pulls.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests) >= 6, "lender L1 pulled past its 3 a second");
        Assert.True(posts.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests) >= 6, "source ADS posted past its 3 a second");
        Assert.Equal(HttpStatusCode.OK, otherLender.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherSource.StatusCode);
    }

    [Fact]
    public async Task Made_up_keys_get_no_bucket_and_no_cache_entry()
    {
        using var host = Start(partnerPermits: 1_000, addressPermits: 100_000);
        using var client = host.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await IntakeClient.PostAsync(client, IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(Next())))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LeadsAsync(client, RoutedLeads.L1Key)).StatusCode);
        var cache = (MemoryCache)host.Services.GetRequiredService<IMemoryCache>();
        var limits = host.Services.GetRequiredService<ApiRateLimits>();
        var (cached, known) = (cache.Count, limits.KnownKeys);

        for (var i = 0; i < 300; i++)
        {
            using var response = await IntakeClient.PostAsync(client, IntakeClient.ValidBody(), $"{HostileCorpus.MadeUpKey}{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var pull = await LeadsAsync(client, $"{HostileCorpus.MadeUpKey}{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, pull.StatusCode);
        }

        Assert.Equal((cached, known), (cache.Count, limits.KnownKeys));
    }

    private static async Task<HttpResponseMessage> LeadsAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/leads");
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }

    private static int Next() => Interlocked.Increment(ref people);
}
