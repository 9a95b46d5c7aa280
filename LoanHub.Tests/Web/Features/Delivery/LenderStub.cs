using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LoanHub.Web.Features.Delivery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>One request as the lender's server saw it.</summary>
public sealed record StubRequest(string Path, string IdempotencyKey, bool SignatureValid, JsonObject Body, DateTimeOffset At);

/// <summary>How the stub answers a request; build one with the static helpers.</summary>
public sealed record StubReply(int StatusCode, string? Body, string ContentType = "application/json")
{
    /// <summary>How long to wait before answering.</summary>
    public TimeSpan Wait { get; init; }

    /// <summary>The Location header of a redirect.</summary>
    public string? Location { get; init; }

    /// <summary>Send nothing at all until the client gives up.</summary>
    public bool Hangs { get; init; }

    /// <summary>Announce this Content-Length, send <see cref="Body"/> (shorter), then stall until the client gives up.</summary>
    public long? AnnouncedLength { get; init; }

    /// <summary>Stream a JSON body that never ends (chunked, no Content-Length) until the client gives up.</summary>
    public bool Endless { get; init; }

    public static StubReply Accept(decimal? price = null) =>
        Json(price is null ? new JsonObject { ["accept"] = true } : new JsonObject { ["accept"] = true, ["price"] = price });

    public static StubReply AcceptPost(string lenderRef, string redirectUrl) =>
        Json(new JsonObject { ["accept"] = true, ["lenderRef"] = lenderRef, ["redirectUrl"] = redirectUrl });

    public static StubReply Refuse(string reason) => Json(new JsonObject { ["accept"] = false, ["reason"] = reason });

    public static StubReply Json(JsonNode body, int statusCode = 200) => new(statusCode, body.ToJsonString());

    /// <summary>Any text as a 200 JSON answer, for answers that are not quite right.</summary>
    public static StubReply Raw(string body) => new(200, body);

    public static StubReply Status(int code) => new(code, $"{{\"accept\":false,\"reason\":\"status {code}\"}}");

    public static StubReply Garbage() => new(200, "not json <html>", "text/html");

    /// <summary>A 200 whose JSON body is 200 KiB, sent whole with its Content-Length.</summary>
    public static StubReply Huge() => new(200, HugeJson(200 * 1024));

    /// <summary>Announces 200 KiB, sends the first bytes and stalls: only a client that believes Content-Length answers in time.</summary>
    public static StubReply HugeAnnounced() => new(200, "{\"accept\":true,\"reason\":\"") { AnnouncedLength = 200 * 1024 };

    /// <summary>A JSON body that never ends: only a client that stops reading at its limit answers in time.</summary>
    public static StubReply HugeEndless() => new(200, null) { Endless = true };

    /// <summary>200 with a short Content-Length, half the body, then nothing.</summary>
    public static StubReply StallMidAnswer() => new(200, "{\"accept\":") { AnnouncedLength = 40 };

    public static StubReply Redirect(string location) => new(302, null) { Location = location };

    public static StubReply Delay(TimeSpan delay, StubReply then) => then with { Wait = delay };

    public static StubReply Hang() => new(200, null) { Hangs = true };

    private static string HugeJson(int bytes)
    {
        const string head = "{\"accept\":true,\"reason\":\"";
        const string tail = "\"}";
        return head + new string('x', bytes - head.Length - tail.Length) + tail;
    }
}

/// <summary>
/// A lender's server for the tests: real Kestrel on 127.0.0.1, a free port, verifying signatures the way the README
/// tells lenders to (independently of <see cref="LenderClient.Sign"/>) and recording every request it receives.
/// Call <see cref="StartAsync"/> before using the URLs.
/// </summary>
public sealed class LenderStub : IAsyncDisposable
{
    public const string DefaultSecret = "stub-secret-0123456789abcdefghijklmnopqr";
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<StubRequest> received = [];
    private readonly Dictionary<string, StubReply> repliesByKey = [];
    private int posts;
    private Uri? baseUrl;

    public LenderStub(string secret = DefaultSecret)
    {
        Secret = secret;
        OnPrecheck = _ => StubReply.Accept();
        OnPost = _ =>
        {
            var n = Interlocked.Increment(ref posts);
            return StubReply.AcceptPost($"REF-{n}", $"https://lender.example/continue/{n}");
        };

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(HandleAsync);
    }

    public string Secret { get; }
    public Func<StubRequest, StubReply> OnPrecheck { get; set; }
    public Func<StubRequest, StubReply> OnPost { get; set; }

    /// <summary>A repeated Idempotency-Key gets the first reply again, as the README asks of lenders.</summary>
    public bool RememberIdempotencyKeys { get; set; } = true;

    public Uri BaseUrl => baseUrl ?? throw new InvalidOperationException("Start the stub first.");
    public Uri PrecheckUrl => new(BaseUrl, "/precheck");
    public Uri PostUrl => new(BaseUrl, "/applications");

    public IReadOnlyList<StubRequest> Received
    {
        get
        {
            lock (received) return [.. received];
        }
    }

    public async Task StartAsync()
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        baseUrl = new Uri(address);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, gone.Token);
        var raw = buffer.ToArray();
        var request = new StubRequest(
            context.Request.Path.Value ?? "",
            context.Request.Headers[LeadContract.IdempotencyHeader].ToString(),
            SignatureIsValid(context.Request, raw),
            ParseObject(raw),
            DateTimeOffset.UtcNow);
        lock (received) received.Add(request);

        var reply = Reply(context.Request, request);
        try
        {
            await WriteAsync(context.Response, reply, gone.Token);
        }
        catch (OperationCanceledException) when (gone.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    private StubReply Reply(HttpRequest http, StubRequest request)
    {
        if (!HttpMethods.IsPost(http.Method) || request.Path is not ("/precheck" or "/applications"))
            return StubReply.Status(404);
        if (!request.SignatureValid)
            return StubReply.Json(new JsonObject { ["accept"] = false, ["reason"] = "bad signature" }, 401);
        if (http.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return StubReply.Json(new JsonObject { ["accept"] = false, ["reason"] = "content type must be application/json" }, 415);

        var handler = request.Path == "/precheck" ? OnPrecheck : OnPost;
        if (!RememberIdempotencyKeys || request.IdempotencyKey.Length == 0) return handler(request);
        lock (repliesByKey)
        {
            if (!repliesByKey.TryGetValue(request.IdempotencyKey, out var reply))
                repliesByKey[request.IdempotencyKey] = reply = handler(request);
            return reply;
        }
    }

    private static async Task WriteAsync(HttpResponse response, StubReply reply, CancellationToken gone)
    {
        if (reply.Wait > TimeSpan.Zero) await Task.Delay(reply.Wait, gone);
        if (reply.Hangs) await Task.Delay(Timeout.Infinite, gone);

        response.StatusCode = reply.StatusCode;
        response.ContentType = reply.ContentType;
        if (reply.Location is not null) response.Headers.Location = reply.Location;
        var body = reply.Body is null ? [] : Encoding.UTF8.GetBytes(reply.Body);

        if (reply.Endless)
        {
            await response.WriteAsync("{\"accept\":true,\"reason\":\"", gone);
            var chunk = Encoding.UTF8.GetBytes(new string('x', 8192));
            // Bounded so that a client that reads everything ends in its own timeout rather than forever.
            for (var sent = 0L; sent < 256L * 1024 * 1024; sent += chunk.Length)
                await response.Body.WriteAsync(chunk, gone);
            await Task.Delay(Timeout.Infinite, gone);
            return;
        }

        response.ContentLength = reply.AnnouncedLength ?? body.Length;
        await response.Body.WriteAsync(body, gone);
        if (reply.AnnouncedLength is not null)
        {
            await response.Body.FlushAsync(gone);
            await Task.Delay(Timeout.Infinite, gone);
        }
    }

    /// <summary>What a lender should do: HMAC-SHA256 of "&lt;timestamp&gt;.&lt;raw body&gt;" with the shared secret, timestamp within 5 minutes.</summary>
    private bool SignatureIsValid(HttpRequest request, byte[] body)
    {
        var timestampText = request.Headers[LeadContract.TimestampHeader].ToString();
        var signature = request.Headers[LeadContract.SignatureHeader].ToString();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)) return false;
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > TimestampTolerance.TotalSeconds) return false;
        var signed = Encoding.UTF8.GetBytes(timestampText + ".").Concat(body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    private static JsonObject ParseObject(byte[] raw)
    {
        try
        {
            return JsonNode.Parse(raw) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
