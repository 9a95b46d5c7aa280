using System.Net;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;

namespace LoanHub.Tests.Core.Delivery;

public class EndpointAddressRulesTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("0.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("127.0.0.1")]
    [InlineData("127.9.9.9")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("fc00::1")]
    [InlineData("fdff::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Private_loopback_link_local_cgnat_multicast_and_unique_local_addresses_are_internal(string address) =>
        Assert.True(EndpointRules.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("11.0.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.167.1.1")]
    [InlineData("192.169.1.1")]
    [InlineData("169.253.1.1")]
    [InlineData("169.255.1.1")]
    [InlineData("168.254.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("99.64.0.1")]
    [InlineData("171.16.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2001:db8::1")]
    [InlineData("fe00::1")]
    [InlineData("::ffff:203.0.113.9")]
    public void Public_addresses_next_to_the_internal_ranges_are_not_internal(string address) =>
        Assert.False(EndpointRules.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public void A_mapped_loopback_address_is_loopback_only_for_a_loopback_url()
    {
        var mapped = IPAddress.Parse("::ffff:127.0.0.1");
        Assert.True(EndpointRules.MayConnect(new Uri("http://127.0.0.1:5000/x"), mapped, allowPrivateEndpoints: false));
        Assert.False(EndpointRules.MayConnect(new Uri("https://l1.example/x"), mapped, allowPrivateEndpoints: true));
    }

    [Fact]
    public void A_public_name_may_resolve_to_a_private_address_only_when_the_installation_allows_it()
    {
        var uri = new Uri("https://l1.example/x");
        Assert.True(EndpointRules.MayConnect(uri, IPAddress.Parse("10.0.0.1"), allowPrivateEndpoints: true));
        Assert.False(EndpointRules.MayConnect(uri, IPAddress.Parse("10.0.0.1"), allowPrivateEndpoints: false));
    }

    [Theory]
    [InlineData("http://localhost/x", true)]
    [InlineData("http://LOCALHOST/x", true)]
    [InlineData("http://127.1.2.3/x", true)]
    [InlineData("http://[::1]/x", true)]
    [InlineData("https://l1.example/x", false)]
    [InlineData("https://10.0.0.1/x", false)]
    [InlineData("https://localhost.example/x", false)]
    public void Loopback_is_what_the_url_names(string url, bool loopback) =>
        Assert.Equal(loopback, EndpointRules.IsLoopbackHost(new Uri(url)));
}

public class EndpointUrlRulesTests
{
    [Theory]
    [InlineData(null, "is required")]
    [InlineData("   ", "is required")]
    [InlineData("https://l1.example/x#part", "must not have a fragment")]
    [InlineData("https://user@l1.example/x", "must not carry a user name or password")]
    [InlineData("/relative/path", "must be an absolute https URL")]
    [InlineData("http://10.0.0.1/x", "must use https (plain http only on 127.0.0.1, localhost or [::1])")]
    [InlineData("https://10.0.0.1/x", "points at an internal address (10.0.0.1); private and link-local endpoints are not allowed")]
    [InlineData("https://lender.localhost/x", "points at an internal host name (lender.localhost)")]
    [InlineData("https://lender.internal/x", "points at an internal host name (lender.internal)")]
    [InlineData("https://lender.LOCAL/x", "points at an internal host name (lender.local)")]
    public void Each_problem_is_named(string? url, string problem) =>
        Assert.Equal(problem, EndpointRules.Problem(url, allowPrivateEndpoints: false));

    [Fact]
    public void A_url_of_500_characters_is_allowed_and_501_is_not()
    {
        const string prefix = "https://l1.example/";
        var longest = prefix + new string('a', 500 - prefix.Length);
        Assert.Null(EndpointRules.Problem(longest, false));
        Assert.Null(EndpointRules.Problem("  " + longest + "  ", false));
        Assert.Equal("must be at most 500 characters", EndpointRules.Problem(longest + "a", false));
    }

    [Theory]
    [InlineData("https://intranet/x")]
    [InlineData("https://lender.internal/x")]
    [InlineData("https://[fd00::1]/x")]
    [InlineData("https://192.168.0.10/x")]
    public void Internal_names_and_addresses_pass_when_the_installation_allows_private_endpoints(string url) =>
        Assert.Null(EndpointRules.Problem(url, allowPrivateEndpoints: true));

    [Fact]
    public void Https_to_loopback_is_allowed_without_private_endpoints()
    {
        Assert.Null(EndpointRules.Problem("https://127.0.0.1/x", false));
        Assert.Null(EndpointRules.Problem("https://localhost/x", false));
    }

    [Fact]
    public void A_public_ip_address_is_allowed() => Assert.Null(EndpointRules.Problem("https://203.0.113.9/x", false));

    [Fact]
    public void Checked_gives_the_trimmed_url_or_names_the_field()
    {
        Assert.Equal("https://l1.example/x", EndpointRules.Checked("  https://l1.example/x ", "postUrl", false));
        var e = Assert.Throws<DomainException>(() => EndpointRules.Checked("http://l1.example/x", "precheckUrl", false));
        Assert.StartsWith("precheckUrl: must use https", e.Message);
    }
}

public class LenderDeliveryRulesTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(10_000)]
    public void Timeouts_of_100_and_10000_ms_are_the_bounds(int timeoutMs) =>
        Assert.Equal(timeoutMs, LenderDelivery.Create(null, "https://l1.example/x", timeoutMs, false).TimeoutMs);

    [Fact]
    public void The_timeout_refusal_names_the_range()
    {
        var e = Assert.Throws<DomainException>(() => LenderDelivery.Create(null, "https://l1.example/x", 0, false));
        Assert.Equal("timeoutMs: must be 100–10,000.", e.Message);
    }

    [Fact]
    public void A_blank_precheck_url_means_no_precheck_and_a_given_one_is_checked_and_trimmed()
    {
        Assert.Null(LenderDelivery.Create("  ", "https://l1.example/post", null, false).PrecheckUrl);
        var delivery = LenderDelivery.Create(" https://l1.example/pre ", " https://l1.example/post ", 500, false);
        Assert.Equal(("https://l1.example/pre", "https://l1.example/post", 500), (delivery.PrecheckUrl, delivery.PostUrl, delivery.TimeoutMs));
        var e = Assert.Throws<DomainException>(() => LenderDelivery.Create("https://10.0.0.1/pre", "https://l1.example/post", null, false));
        Assert.StartsWith("precheckUrl:", e.Message);
    }

    [Fact]
    public void Private_endpoints_are_accepted_at_configuration_when_allowed()
    {
        var delivery = LenderDelivery.Create("https://10.0.0.1/pre", "https://10.0.0.2/post", null, allowPrivateEndpoints: true);
        Assert.Equal(("https://10.0.0.1/pre", "https://10.0.0.2/post"), (delivery.PrecheckUrl, delivery.PostUrl));
    }

    [Fact]
    public void A_restored_delivery_is_taken_as_stored()
    {
        var delivery = LenderDelivery.Restore("http://anything/pre", "http://anything/post", 50);
        Assert.Equal(("http://anything/pre", "http://anything/post", 50), (delivery.PrecheckUrl, delivery.PostUrl, delivery.TimeoutMs));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(256)]
    public void Secrets_of_32_to_256_characters_are_accepted(int length)
    {
        var secret = new string('s', length);
        Assert.Equal(secret, LenderDelivery.CheckedSecret(secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    public void A_missing_or_short_secret_is_refused(string? secret)
    {
        var e = Assert.Throws<DomainException>(() => LenderDelivery.CheckedSecret(secret));
        Assert.Equal("secret: must be 32–256 characters without spaces.", e.Message);
    }

    [Fact]
    public void A_secret_over_256_characters_or_with_a_space_is_refused()
    {
        Assert.Throws<DomainException>(() => LenderDelivery.CheckedSecret(new string('s', 257)));
        Assert.Throws<DomainException>(() => LenderDelivery.CheckedSecret(new string('s', 20) + " " + new string('s', 20)));
        Assert.Throws<DomainException>(() => LenderDelivery.CheckedSecret(new string('s', 40) + "\t"));
    }
}

public class LenderHealthRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private static AttemptSample Post(DateTimeOffset at, CallResult post, int latency = 100) => new(at, false, null, post, latency);

    [Fact]
    public void A_sample_is_read_from_the_attempt_when_it_ended_with_both_latencies()
    {
        var attempt = new DeliveryAttempt(LoanHub.Core.Domain.ApplicationId.New(), LenderId.New(), ProductId.New(), 1, true, 10m, Now);
        attempt.RecordPrecheck(CallResult.Accepted, 30, null, null, Now.AddSeconds(1));
        attempt.RecordPost(CallResult.Timeout, 800, null, null, null, Now.AddSeconds(2));
        Assert.Equal(new AttemptSample(Now.AddSeconds(2), true, CallResult.Accepted, CallResult.Timeout, 830), AttemptSample.Of(attempt));
    }

    [Fact]
    public void A_sample_of_an_attempt_in_flight_is_dated_when_it_was_created()
    {
        var attempt = new DeliveryAttempt(LoanHub.Core.Domain.ApplicationId.New(), LenderId.New(), ProductId.New(), 1, false, 10m, Now);
        Assert.Equal(new AttemptSample(Now, false, null, null, 0), AttemptSample.Of(attempt));
    }

    [Fact]
    public void The_ending_call_is_the_precheck_when_it_did_not_accept_and_the_post_otherwise()
    {
        Assert.Equal(CallResult.Timeout, new AttemptSample(Now, true, CallResult.Timeout, null, 1).Ending);
        Assert.Equal(CallResult.Error, new AttemptSample(Now, true, CallResult.Accepted, CallResult.Error, 1).Ending);
        Assert.Equal(CallResult.Refused, new AttemptSample(Now, false, null, CallResult.Refused, 1).Ending);
    }

    [Fact]
    public void No_samples_in_the_window_give_empty_figures_without_rates()
    {
        var health = LenderHealth.Of([Post(Now.AddMinutes(-30), CallResult.Error)], Now, Window);
        Assert.Same(LenderHealth.Empty, health);
        Assert.Equal((0, null, null), (health.Attempts, health.P50LatencyMs, health.P95LatencyMs));
        Assert.Null(health.PrecheckAcceptance);
        Assert.Null(health.PostAcceptance);
        Assert.Null(health.FailureRate);
        Assert.False(health.CallsForPause(new AutoPausePolicy(0.5, 0, Window)));
    }

    [Fact]
    public void The_window_holds_its_end_but_not_its_start_nor_the_future()
    {
        var health = LenderHealth.Of(
        [
            Post(Now - Window, CallResult.Error),
            Post(Now - Window + TimeSpan.FromTicks(1), CallResult.Accepted),
            Post(Now, CallResult.Accepted),
            Post(Now.AddTicks(1), CallResult.Error),
        ], Now, Window);
        Assert.Equal((2, 0), (health.Attempts, health.Errors));
    }

    [Fact]
    public void A_sample_with_no_call_answered_is_not_an_attempt()
    {
        var health = LenderHealth.Of([new AttemptSample(Now, true, null, null, 0), Post(Now, CallResult.Accepted)], Now, Window);
        Assert.Equal((1, 0), (health.Attempts, health.Prechecks));
    }

    [Fact]
    public void Acceptance_and_failure_rates_are_shares_of_their_calls()
    {
        var health = LenderHealth.Of(
        [
            new AttemptSample(Now, true, CallResult.Accepted, CallResult.Accepted, 10),
            new AttemptSample(Now, true, CallResult.Refused, null, 20),
            new AttemptSample(Now, true, CallResult.Timeout, null, 30),
            Post(Now, CallResult.Refused, 40),
        ], Now, Window);
        Assert.Equal((4, 3, 1, 2, 1, 1, 0), (health.Attempts, health.Prechecks, health.PrechecksAccepted, health.Posts, health.PostsAccepted, health.Timeouts, health.Errors));
        Assert.Equal(1d / 3, health.PrecheckAcceptance);
        Assert.Equal(0.5, health.PostAcceptance);
        Assert.Equal(0.25, health.FailureRate);
    }

    [Fact]
    public void Percentiles_take_the_nearest_rank()
    {
        var latencies = Enumerable.Range(1, 20).Select(i => i * 10).Reverse();
        var health = LenderHealth.Of(latencies.Select(l => Post(Now, CallResult.Accepted, l)), Now, Window);
        Assert.Equal((100, 190), (health.P50LatencyMs!.Value, health.P95LatencyMs!.Value));
        var one = LenderHealth.Of([Post(Now, CallResult.Accepted, 70)], Now, Window);
        Assert.Equal((70, 70), (one.P50LatencyMs!.Value, one.P95LatencyMs!.Value));
    }
}

public class AutoPauseRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_default_pauses_at_half_failing_over_20_attempts_in_15_minutes()
    {
        Assert.Equal(new AutoPausePolicy(0.5, 20, TimeSpan.FromMinutes(15)), AutoPausePolicy.Default);
        Assert.True(AutoPausePolicy.Default.IsBreached(20, 10));
        Assert.False(AutoPausePolicy.Default.IsBreached(20, 9));
        Assert.False(AutoPausePolicy.Default.IsBreached(19, 19));
    }

    [Fact]
    public void A_policy_without_a_minimum_still_needs_one_attempt()
    {
        var policy = new AutoPausePolicy(0.0, 0, TimeSpan.FromMinutes(15));
        Assert.False(policy.IsBreached(0, 0));
        Assert.True(policy.IsBreached(1, 0));
    }

    [Fact]
    public void The_reason_counts_timeouts_errors_and_attempts_against_the_limit()
    {
        var policy = AutoPausePolicy.Default;
        Assert.Equal("Paused automatically: 3 timeouts and 1 error in 8 attempts over the last 15 minutes (50 %; the limit is 50 %).",
            policy.Reason(8, 3, 1));
        Assert.Equal("Paused automatically: 1 timeout and 0 errors in 1 attempt over the last 15 minutes (100 %; the limit is 50 %).",
            policy.Reason(1, 1, 0));
    }

    [Fact]
    public void The_running_window_drops_samples_once_they_are_a_full_window_old()
    {
        var policy = new AutoPausePolicy(0.5, 2, TimeSpan.FromMinutes(15));
        var window = new FailureWindow(policy);
        window.Add(new AttemptSample(Start, false, null, CallResult.Timeout, 1));
        window.Add(new AttemptSample(Start.AddMinutes(1), false, null, CallResult.Error, 1));
        Assert.Equal(2, window.Attempts);
        Assert.True(window.IsBreached);
        Assert.Equal(policy.Reason(2, 1, 1), window.Reason);

        window.Add(new AttemptSample(Start.AddMinutes(15), false, null, CallResult.Accepted, 1));
        Assert.Equal(2, window.Attempts);
        Assert.Equal(policy.Reason(2, 0, 1), window.Reason);
        Assert.True(window.IsBreached);

        window.Add(new AttemptSample(Start.AddMinutes(16), false, null, CallResult.Accepted, 1));
        Assert.Equal(policy.Reason(2, 0, 0), window.Reason);
        Assert.False(window.IsBreached);
    }

    [Fact]
    public void A_refusal_is_not_a_failure()
    {
        var window = new FailureWindow(new AutoPausePolicy(0.5, 1, TimeSpan.FromMinutes(15)));
        window.Add(new AttemptSample(Start, true, CallResult.Refused, null, 1));
        Assert.False(window.IsBreached);
    }

    [Fact]
    public void Clearing_the_window_forgets_every_sample()
    {
        var policy = new AutoPausePolicy(0.5, 1, TimeSpan.FromMinutes(15));
        var window = new FailureWindow(policy);
        window.Add(new AttemptSample(Start, false, null, CallResult.Timeout, 1));
        window.Add(new AttemptSample(Start, false, null, CallResult.Error, 1));
        window.Clear();
        Assert.Equal(0, window.Attempts);
        window.Add(new AttemptSample(Start, false, null, CallResult.Accepted, 1));
        Assert.False(window.IsBreached);
        Assert.Equal(policy.Reason(1, 0, 0), window.Reason);
    }
}
