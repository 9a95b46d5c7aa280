using System.Net;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LoanHub.Tests.Web.Security;

public class SecurityHeadersTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    [Theory]
    [InlineData("GET", "/Account/Login")]                                        // a console page
    [InlineData("GET", "/")]                                                     // the dashboard, redirecting to sign-in
    [InlineData("GET", "/no-such-page")]                                         // the not-found page, re-executed
    [InlineData("GET", "/loanhub.js")]                                           // a static file
    [InlineData("POST", "/api/v1/applications")]                                 // the intake API
    [InlineData("GET", "/api/v1/applications/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/healthz")]
    public async Task Every_response_carries_the_security_headers(string method, string path)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Headers.Add("X-Api-Key", IntakeClient.AdsKey);
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        var policy = Header(response, "Content-Security-Policy");
        Assert.Matches("script-src 'self' 'nonce-[0-9a-f]{32}';", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("connect-src 'self' ws://localhost", policy);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task The_import_map_carries_the_nonce_of_its_own_response()
    {
        var response = await host.CreateClient().GetAsync("/Account/Login");

        var nonce = System.Text.RegularExpressions.Regex.Match(Header(response, "Content-Security-Policy"), "'nonce-([0-9a-f]+)'").Groups[1].Value;
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", html);
        Assert.DoesNotMatch("<script>", html); // no inline script without the nonce
    }

    [Fact]
    public async Task Outside_Development_https_responses_carry_HSTS()
    {
        using var production = new ProductionHost();
        production.Settings[KeyRing.AllowUnprotectedKeysKey] = "true";
        var client = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://loanhub.example"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/Account/Login");

        Assert.StartsWith("max-age=", Header(response, "Strict-Transport-Security"));
        Assert.Contains("connect-src 'self' wss://loanhub.example", Header(response, "Content-Security-Policy"));
    }

    [Theory]
    [InlineData(null, true)]              // no proxies configured: the loopback proxy is trusted
    [InlineData("192.0.2.10", false)]     // only the configured proxy is, and the request came from loopback
    [InlineData("127.0.0.1", true)]
    public async Task X_Forwarded_Proto_is_taken_only_from_a_known_proxy(string? knownProxy, bool trusted)
    {
        using var production = new ProductionHost();
        production.Settings[KeyRing.AllowUnprotectedKeysKey] = "true";
        if (knownProxy is not null) production.Settings[SecurityHeaders.KnownProxiesKey] = knownProxy;
        using var client = production.StartOnPort();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "loanhub.example";
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(trusted, response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(trusted ? "https" : "http", response.Headers.Location!.Scheme);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} ({(int)response.StatusCode}) has no {name} header.");
}
