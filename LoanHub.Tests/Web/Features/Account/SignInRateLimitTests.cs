using System.Net;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>Sign-in attempts over the per-account or per-address limit are answered 429 with Retry-After, before any password check.</summary>
public class SignInRateLimitTests
{
    private static LoanHubHost HostWithLimits(int perAccount, int perAddress)
    {
        var host = new LoanHubHost();
        host.Settings["LoanHub:Security:SignInAttemptsPerMinutePerAccount"] = perAccount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Settings["LoanHub:Security:SignInAttemptsPerMinutePerAddress"] = perAddress.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return host;
    }

    [Fact]
    public async Task Attempts_on_one_account_over_the_limit_get_429_with_retry_after()
    {
        using var host = HostWithLimits(perAccount: 3, perAddress: 1000);
        var client = AccountClient.For(host);
        const string email = "target@test.local";
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(email, "guess " + i)).StatusCode);

        var refused = await client.SignInAsync(email, "guess 3");
        var otherAccount = await client.SignInAsync("someone-else@test.local", "guess");

        AssertTooMany(refused);
        Assert.Equal(HttpStatusCode.OK, otherAccount.StatusCode);
    }

    [Fact]
    public async Task Attempts_from_one_address_over_the_limit_get_429_with_retry_after_whatever_the_account()
    {
        using var host = HostWithLimits(perAccount: 1000, perAddress: 3);
        var client = AccountClient.For(host);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync($"spray-{i}@test.local", "Summer2026!")).StatusCode);

        AssertTooMany(await client.SignInAsync("spray-3@test.local", "Summer2026!"));
    }

    private static void AssertTooMany(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var seconds = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 60);
    }
}
