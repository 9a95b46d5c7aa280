using System.Net;
using FsCheck.Xunit;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Tests.Core.Engine;
using FsCheck;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Delivery;

public class EndpointRulesTests
{
    [Theory]
    [InlineData("https://l1.example/loanhub/applications")]
    [InlineData("http://127.0.0.1:5000/x")]
    [InlineData("http://localhost:8080/x")]
    [InlineData("http://[::1]:8080/x")]
    public void Public_https_and_plain_loopback_are_allowed(string url) => Assert.Null(EndpointRules.Problem(url, allowPrivateEndpoints: false));

    [Theory]
    [InlineData("http://l1.example/x", "https")]
    [InlineData("ftp://l1.example/x", "https")]
    [InlineData("https://10.1.2.3/x", "internal address")]
    [InlineData("https://192.168.0.10/x", "internal address")]
    [InlineData("https://172.16.5.5/x", "internal address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "internal address")]
    [InlineData("https://[fd00::1]/x", "internal address")]
    [InlineData("https://[fe80::1]/x", "internal address")]
    [InlineData("https://intranet/x", "internal host name")]
    [InlineData("https://user:pass@l1.example/x", "user name")]
    [InlineData("not a url", "absolute")]
    public void Plain_http_elsewhere_and_internal_addresses_are_refused(string url, string why) =>
        Assert.Contains(why, EndpointRules.Problem(url, allowPrivateEndpoints: false));

    [Fact]
    public void Private_endpoints_pass_only_when_the_installation_allows_them()
    {
        Assert.NotNull(EndpointRules.Problem("https://10.1.2.3/x", allowPrivateEndpoints: false));
        Assert.Null(EndpointRules.Problem("https://10.1.2.3/x", allowPrivateEndpoints: true));
    }

    [Fact]
    public void A_public_name_may_not_resolve_to_loopback_or_a_private_address()
    {
        var uri = new Uri("https://l1.example/x");
        Assert.False(EndpointRules.MayConnect(uri, IPAddress.Loopback, allowPrivateEndpoints: true));
        Assert.False(EndpointRules.MayConnect(uri, IPAddress.Parse("10.0.0.1"), allowPrivateEndpoints: false));
        Assert.False(EndpointRules.MayConnect(uri, IPAddress.Parse("::ffff:192.168.1.1"), allowPrivateEndpoints: false));
        Assert.True(EndpointRules.MayConnect(uri, IPAddress.Parse("203.0.113.9"), allowPrivateEndpoints: false));
        Assert.True(EndpointRules.MayConnect(new Uri("http://127.0.0.1:5000/x"), IPAddress.Loopback, allowPrivateEndpoints: false));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(10_001)]
    public void Timeout_outside_100_to_10000_ms_is_refused(int timeoutMs)
    {
        var e = Assert.Throws<DomainException>(() => LenderDelivery.Create(null, "https://l1.example/x", timeoutMs, false));
        Assert.StartsWith("timeoutMs", e.Message);
    }

    [Fact]
    public void Delivery_needs_a_post_url_and_a_secret_of_32_characters_the_first_time()
    {
        Assert.StartsWith("postUrl", Assert.Throws<DomainException>(() => LenderDelivery.Create(null, null, null, false)).Message);
        Assert.Equal(LenderDelivery.DefaultTimeoutMs, LenderDelivery.Create(null, "https://l1.example/x", null, false).TimeoutMs);
        var lender = new Lender("L9", "Lender", "hash");
        var delivery = LenderDelivery.Create(null, "https://l1.example/x", 800, false);
        Assert.Throws<DomainException>(() => lender.ConfigureDelivery(delivery, null));
        Assert.Throws<DomainException>(() => lender.ConfigureDelivery(delivery, new string('s', 31)));
        lender.ConfigureDelivery(delivery, new string('s', 32));
        lender.ConfigureDelivery(delivery, null); // keeps the secret it has
        Assert.Equal(new string('s', 32), lender.DeliverySecret);
    }
}

public class DeliveryAttemptTests
{
    private static DeliveryAttempt Attempt(bool withPrecheck = true) =>
        new(ApplicationId.New(), LenderId.New(), ProductId.New(), 1, withPrecheck, 30m, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Precheck_refusal_ends_the_attempt_about_the_person()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Refused, 40, null, "existing customer", DateTimeOffset.UnixEpoch);
        Assert.Equal(AttemptOutcome.Refused, attempt.Outcome);
        Assert.True(attempt.EndedAtPrecheck);
        Assert.Throws<DomainException>(() => attempt.RecordPost(CallResult.Accepted, 10, null, null, null, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Post_refusal_after_an_accepted_precheck_is_about_the_product_only()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Accepted, 40, 12.345m, null, DateTimeOffset.UnixEpoch);
        Assert.True(attempt.IsInFlight);
        Assert.Equal(12.35m, attempt.Price);
        attempt.RecordPost(CallResult.Timeout, 800, null, null, "timeout after 800 ms", DateTimeOffset.UnixEpoch);
        Assert.Equal(AttemptOutcome.TimedOut, attempt.Outcome);
        Assert.False(attempt.EndedAtPrecheck);
    }

    [Fact]
    public void A_post_without_an_accepted_precheck_is_refused()
    {
        Assert.Throws<DomainException>(() => Attempt().RecordPost(CallResult.Accepted, 10, null, null, null, DateTimeOffset.UnixEpoch));
        var direct = Attempt(withPrecheck: false);
        direct.RecordPost(CallResult.Accepted, 10, "REF", "https://l.example/c", null, DateTimeOffset.UnixEpoch);
        Assert.Equal((AttemptOutcome.Accepted, "REF"), (direct.Outcome, direct.LenderRef));
    }
}

public class LenderHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly AutoPausePolicy Policy = new(0.5, 4, TimeSpan.FromMinutes(15));

    private static AttemptSample Sample(int minutesAgo, CallResult? precheck, CallResult? post, int latency = 100) =>
        new(Now.AddMinutes(-minutesAgo), precheck is not null, precheck, post, latency);

    [Fact]
    public void Figures_count_only_the_window_and_name_the_call_that_ended_each_attempt()
    {
        var health = LenderHealth.Of(
        [
            Sample(1, CallResult.Accepted, CallResult.Accepted, 50),
            Sample(2, CallResult.Refused, null, 60),
            Sample(3, CallResult.Accepted, CallResult.Timeout, 900),
            Sample(4, null, CallResult.Error, 70),
            Sample(20, CallResult.Timeout, null, 800), // outside the window
        ], Now, Policy.Window);

        Assert.Equal((4, 3, 2, 3, 1, 1, 1), (health.Attempts, health.Prechecks, health.PrechecksAccepted, health.Posts, health.PostsAccepted, health.Timeouts, health.Errors));
        Assert.Equal(60, health.P50LatencyMs);
        Assert.Equal(900, health.P95LatencyMs);
        Assert.Equal(0.5, health.FailureRate);
        Assert.True(health.CallsForPause(Policy));
        Assert.False(health.CallsForPause(Policy with { MinAttempts = 5 }));
    }

    [Fact]
    public void The_running_window_pauses_exactly_where_the_stored_figures_would()
    {
        var window = new FailureWindow(Policy);
        var samples = new List<AttemptSample>();
        var results = new[] { CallResult.Accepted, CallResult.Error, CallResult.Accepted, CallResult.Timeout, CallResult.Error };
        for (var i = 0; i < results.Length; i++)
        {
            var sample = new AttemptSample(Now.AddMinutes(i * 5), false, null, results[i], 100);
            window.Add(sample);
            samples.Add(sample);
            Assert.Equal(LenderHealth.Of(samples, sample.At, Policy.Window).CallsForPause(Policy), window.IsBreached);
        }
    }
}

public class RoundRobinUndoTests
{
    [Property(MaxTest = 200)]
    public bool Taking_back_a_pick_restores_every_current_weight(PositiveInt a, PositiveInt b, PositiveInt c, byte picksBefore)
    {
        var products = new[] { a.Get % 100 + 1, b.Get % 100 + 1, c.Get % 100 + 1 }
            .Select((w, i) => EngineFixtures.Product($"P{i}", weight: w)).ToArray();
        var state = new WeightedRoundRobinState();
        for (var i = 0; i < picksBefore % 10; i++) Allocators.Weighted.Allocate([.. products.Select(p => new AllocationCandidate(p, 1m))], state);
        var before = products.Select(p => state.CurrentWeightOf(p.ProductId)).ToArray();
        var result = Allocators.Weighted.Allocate([.. products.Select(p => new AllocationCandidate(p, 1m))], state);
        state.Undo(result.Pick!);
        return before.SequenceEqual(products.Select(p => state.CurrentWeightOf(p.ProductId)));
    }
}
