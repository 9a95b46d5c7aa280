using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Delivery;

namespace LoanHub.Web.Features.Demo;

/// <summary>How one demo lender's simulated server behaves.</summary>
/// <param name="LiveTimeouts">Share of live calls answered too late: XYF's endpoint is unreliable, so the system pauses it within minutes.</param>
/// <param name="HistoryErrors">Share of calls answered 503 in the generated history (instant, so the history is quick to build and always the same).</param>
internal sealed record DemoLenderProfile(string Code, bool Precheck, int MinLatencyMs, int MaxLatencyMs, double PrecheckRefusal, double PostRefusal,
    double LiveTimeouts, double HistoryErrors, int TimeoutMs);

/// <summary>
/// The demo's push lenders: simulated servers inside the app (only in demo mode) that verify LoanHub's signature and
/// answer like lenders do — refusing some pre-checks as existing customers and some posts, tens to hundreds of
/// milliseconds late, one of them timing out often. Their answers depend only on the lead, never on chance, so the
/// demo history comes out the same each time.
/// </summary>
internal sealed class DemoLenders
{
    public const string PathPrefix = "/demo-lenders/";
    /// <summary>Where the demo lenders are seeded; the real port is put in once the server is listening.</summary>
    public const string SeedBaseUrl = "http://127.0.0.1:5000";

    public static IReadOnlyList<DemoLenderProfile> Push { get; } =
    [
        new("ZSB", Precheck: true, 30, 140, PrecheckRefusal: 0.20, PostRefusal: 0.08, LiveTimeouts: 0, HistoryErrors: 0.01, TimeoutMs: 800),
        new("PAF", Precheck: false, 80, 320, PrecheckRefusal: 0, PostRefusal: 0.15, LiveTimeouts: 0, HistoryErrors: 0.01, TimeoutMs: 1000),
        new("JDF", Precheck: true, 40, 220, PrecheckRefusal: 0.12, PostRefusal: 0.10, LiveTimeouts: 0.02, HistoryErrors: 0.02, TimeoutMs: 800),
        new("XYF", Precheck: true, 60, 260, PrecheckRefusal: 0.10, PostRefusal: 0.05, LiveTimeouts: 0.65, HistoryErrors: 0.08, TimeoutMs: 500),
    ];

    /// <summary>Public demo secrets, like the demo API keys.</summary>
    public static string Secret(string code) => $"demo-lender-{code}-secret-0123456789abcdef";

    public static DeliveryDocument? DeliveryOf(string code, string baseUrl = SeedBaseUrl) =>
        Push.FirstOrDefault(p => p.Code == code) is { } profile
            ? new DeliveryDocument(profile.Precheck ? $"{baseUrl}{PathPrefix}{code}/precheck" : null, $"{baseUrl}{PathPrefix}{code}/applications",
                Secret(code), profile.TimeoutMs)
            : null;

    /// <summary>True while the demo history is written: calls are answered in process (no socket), and without timeouts.</summary>
    public bool InProcess { get; set; }

    public sealed record Answer(int Status, string Body);

    /// <summary>The simulated server's answer to one call, after its latency.</summary>
    public async Task<Answer> AnswerAsync(string code, string stage, string? timestamp, string? signature, byte[] body, bool live, CancellationToken cancellationToken)
    {
        if (Push.FirstOrDefault(p => p.Code == code) is not { } profile || stage is not ("precheck" or "applications"))
            return Refusal(404, "no such endpoint");
        if (!SignatureIsValid(profile.Code, timestamp, signature, body)) return Refusal(401, "bad signature");
        if (stage == "precheck" && !profile.Precheck) return Refusal(404, "no pre-check here");
        JsonObject lead;
        try
        {
            lead = JsonNode.Parse(body) as JsonObject ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return Refusal(400, "not a lead");
        }

        // The person decides (never an id LoanHub drew at random), with this lender and product.
        var who = stage == "precheck" ? (string?)lead["phoneMd5"] : (string?)lead["applicant"]?["nationalId"];
        var draw = new Draw($"{code}|{stage}|{who}|{(string?)lead["productCode"]}");
        var latency = profile.MinLatencyMs + (int)(draw.Next() * (profile.MaxLatencyMs - profile.MinLatencyMs));
        var failure = draw.Next();
        if (live && failure < profile.LiveTimeouts)
        {
            await Task.Delay(profile.TimeoutMs * 3, cancellationToken); // far past LoanHub's timeout
            return Accepted(stage, code, (string?)lead["deliveryId"]);
        }
        // The history is answered at once: however busy the machine, no call of it comes near a timeout, so it comes
        // out the same every time (its attempts show the few milliseconds the calls really took).
        if (live) await Task.Delay(latency, cancellationToken);
        if (!live && failure < profile.HistoryErrors) return Refusal(503, "service unavailable");
        var refusal = draw.Next();
        return stage == "precheck"
            ? refusal < profile.PrecheckRefusal ? Refusal(200, "existing customer") : Accepted(stage, code, (string?)lead["deliveryId"])
            : refusal < profile.PostRefusal ? Refusal(200, "outside our risk appetite") : Accepted(stage, code, (string?)lead["deliveryId"]);
    }

    // The lender's own reference is drawn from the delivery (it decides nothing, and says nothing of the person).
    private static Answer Accepted(string stage, string code, string? deliveryId)
    {
        if (stage == "precheck") return new(200, "{\"accept\":true}");
        var reference = $"{code}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId ?? "")))[..10]}";
        return new(200, new JsonObject
        {
            ["accept"] = true,
            ["lenderRef"] = reference,
            ["redirectUrl"] = $"https://{code.ToLowerInvariant()}.demo.loanhub.example/continue/{reference}",
        }.ToJsonString());
    }

    private static Answer Refusal(int status, string reason) =>
        new(status, new JsonObject { ["accept"] = false, ["reason"] = reason }.ToJsonString());

    // What a lender's engineer writes from the README: HMAC-SHA256 over "<timestamp>.<raw body>", compared in constant time.
    private static bool SignatureIsValid(string code, string? timestamp, string? signature, byte[] body)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300 || signature is null)
            return false;
        var expected = LenderClient.Sign(Secret(code), seconds, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>Numbers in [0, 1) that depend only on the key.</summary>
    private sealed class Draw(string key)
    {
        private readonly byte[] bytes = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        private int used;

        public double Next()
        {
            var value = BitConverter.ToUInt32(bytes, used % 28);
            used += 4;
            return value / (uint.MaxValue + 1.0);
        }
    }
}

/// <summary>Answers calls to the demo lenders in process while the history is written; otherwise passes them to the network.</summary>
internal sealed class DemoLenderTransport(DemoLenders lenders) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (!lenders.InProcess || !path.StartsWith(DemoLenders.PathPrefix, StringComparison.Ordinal))
            return await base.SendAsync(request, cancellationToken);
        var parts = path[DemoLenders.PathPrefix.Length..].Split('/');
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var answer = await lenders.AnswerAsync(parts[0], parts.ElementAtOrDefault(1) ?? "", Header(request, LeadContract.TimestampHeader),
            Header(request, LeadContract.SignatureHeader), body, live: false, cancellationToken);
        return new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status)
        {
            Content = new StringContent(answer.Body, Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

public static class DemoLenderEndpoints
{
    /// <summary>The demo lenders' servers; only from loopback, only in demo mode, not in the OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapDemoLenders(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(DemoLenders.PathPrefix + "{code}/{stage}", async (string code, string stage, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (http.Connection.RemoteIpAddress is not { } remote || !System.Net.IPAddress.IsLoopback(remote)) return Results.NotFound();
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, cancellationToken);
            var lenders = http.RequestServices.GetRequiredService<DemoLenders>();
            var answer = await lenders.AnswerAsync(code, stage, http.Request.Headers[LeadContract.TimestampHeader], http.Request.Headers[LeadContract.SignatureHeader],
                buffer.ToArray(), live: true, cancellationToken);
            return Results.Content(answer.Body, "application/json", Encoding.UTF8, answer.Status);
        }).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }
}
