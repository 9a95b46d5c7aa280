using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.HttpOverrides;

namespace LoanHub.Web.Security;

/// <summary>
/// What every response says to the browser about where the page may load from and who may frame it, and which
/// proxy's word the app takes for the client's address and scheme.
/// </summary>
public static class SecurityHeaders
{
    public const string KnownProxiesKey = "LoanHub:ForwardedHeaders:KnownProxies";
    public const string KnownNetworksKey = "LoanHub:ForwardedHeaders:KnownNetworks";

    private static readonly object NonceItem = new();

    /// <summary>
    /// First in the pipeline: the forwarded headers (only from the configured proxies; loopback when none are
    /// configured), so HSTS, sign-in redirects and the secure cookie see the scheme the browser used; then HSTS
    /// outside Development and the headers of every response.
    /// </summary>
    public static WebApplication UseLoanHubSecurityHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders(ForwardedHeadersFrom(app.Configuration));
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.Use((context, next) =>
        {
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceItem] = nonce;
            // At the start of the response, so an error page re-executed after the headers were cleared still has them.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request, nonce);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>The nonce that lets the one inline script Blazor writes itself (the import map) run under the policy.</summary>
    public static string? ScriptNonce(HttpContext context) => context.Items[NonceItem] as string;

    // MudBlazor sets style attributes and writes its theme as a <style> element, hence 'unsafe-inline' for styles only;
    // scripts come from the app's own files, and the circuit's WebSocket goes back to the page's own host.
    private static string ContentSecurityPolicy(HttpRequest request, string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        $"connect-src 'self' {(request.IsHttps ? "wss" : "ws")}://{request.Host}; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    internal static ForwardedHeadersOptions ForwardedHeadersFrom(IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        var proxies = ListAt(configuration, KnownProxiesKey);
        var networks = ListAt(configuration, KnownNetworksKey);
        if (proxies.Length == 0 && networks.Length == 0) return options;

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new InvalidOperationException($"{KnownProxiesKey} holds '{proxy}', which is not an IP address."));
        foreach (var network in networks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range) ? range
                : throw new InvalidOperationException($"{KnownNetworksKey} holds '{network}', which is not a network like 10.0.0.0/8."));
        return options;
    }

    // A list in configuration is either numbered children (KnownProxies:0, KnownProxies:1) or one comma-separated value.
    private static string[] ListAt(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.Value is { } single ? single.Split(',') : section.GetChildren().Select(child => child.Value ?? "");
        return [.. values.Select(value => value.Trim()).Where(value => value.Length > 0)];
    }
}
