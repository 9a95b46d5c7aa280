using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoanHub.Core.Delivery;

namespace LoanHub.Web.Features.Delivery;

/// <summary><c>LoanHub:Delivery</c>: how leads are pushed to lenders and when a failing lender is paused.</summary>
public sealed record DeliveryOptions
{
    public const string Section = "LoanHub:Delivery";

    /// <summary>How long a whole delivery (pre-checks and post, across lenders) may take.</summary>
    public int DeadlineMs { get; init; } = 3000;

    /// <summary>Lets lender endpoints resolve to private or link-local addresses (an installation inside a lender's network).</summary>
    public bool AllowPrivateEndpoints { get; init; }

    public double AutoPauseErrorRate { get; init; } = 0.5;
    public int AutoPauseMinAttempts { get; init; } = 20;
    public int HealthWindowMinutes { get; init; } = 15;
}

public enum AnswerKind { Accepted, Refused, Timeout, Error }

/// <summary>
/// What came of one call to a lender. <paramref name="HttpStatus"/> is null when no response arrived;
/// <paramref name="Reason"/> is the lender's when it refused and ours otherwise (at most 300 characters);
/// <paramref name="Body"/> is the start of the raw answer (at most 2,000 characters) for the console's test call.
/// </summary>
public sealed record LenderAnswer(
    AnswerKind Kind,
    string? Reason,
    decimal? Price,
    string? LenderRef,
    string? RedirectUrl,
    int? HttpStatus,
    int LatencyMs,
    string? Body);

/// <summary>One call: where, signed with which secret, for which stage of which delivery, and how long it may take in all.</summary>
public sealed record LenderCall(Uri Url, string Secret, DeliveryStage Stage, string DeliveryId, TimeSpan Timeout);

/// <summary>
/// Our side of the lender wire: one signed POST per call, one attempt, and an answer for everything a lender can
/// do wrong (slow, garbage, huge, redirecting, unreachable) instead of an exception. Only the caller's own
/// cancellation escapes, as <see cref="OperationCanceledException"/>. Falling through to the next lender is the caller's job.
/// </summary>
public sealed class LenderClient
{
    public const string HttpClientName = "lenders";
    internal const int MaxReasonLength = 300;
    internal const int MaxBodyLength = 2000;
    internal const int MaxLenderRefLength = 100;
    internal const int MaxRedirectUrlLength = 500;

    private const string SignaturePrefix = "sha256=";
    private const int FirstReadSize = 4096;
    private static readonly string OverLimit = $"answer over {LeadContract.MaxAnswerBytes / 1024} KiB";

    private readonly HttpClient client;
    private readonly ILogger<LenderClient> logger;

    public LenderClient(IHttpClientFactory factory, DeliveryOptions options, ILogger<LenderClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        // One client for the life of the process: its handler never expires (see AddLenderClient) and
        // PooledConnectionLifetime already picks up DNS changes, so a client per call would only allocate.
        client = factory.CreateClient(HttpClientName);
        client.Timeout = Timeout.InfiniteTimeSpan; // each call has its own timeout, which must read as Timeout, not as cancellation
        this.logger = logger;
    }

    public async Task<LenderAnswer> SendAsync<TBody>(LenderCall call, TBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, LeadContract.JsonOptions);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Url) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(LeadContract.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(LeadContract.SignatureHeader, Sign(call.Secret, timestamp, payload));
        request.Headers.TryAddWithoutValidation(LeadContract.IdempotencyHeader, LeadContract.IdempotencyKey(call.DeliveryId, call.Stage));

        var started = Stopwatch.GetTimestamp();
        int? status = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(call.Timeout);
        LenderAnswer answer;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            answer = await ReadAnswerAsync(call, response, started, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (timeout.IsCancellationRequested)
                answer = new(AnswerKind.Timeout, $"timeout after {(long)call.Timeout.TotalMilliseconds} ms", null, null, null, status, ElapsedMs(started), null);
            else if (e is OperationCanceledException)
                throw;
            else
                answer = Failure(Describe(e, call.Url), status, started, null);
        }

        // Every answer is recorded on its attempt and counted in the lender's health (a failing lender is paused with a
        // warning), so a line per call would only flood the log during a lender's outage.
        if (logger.IsEnabled(LogLevel.Debug)) // the params array would be built for every call otherwise
            logger.LogDebug("{Stage} of delivery {DeliveryId} to {Host}: {Kind} ({Reason}) in {LatencyMs} ms",
                call.Stage, call.DeliveryId, call.Url.Host, answer.Kind, answer.Reason, answer.LatencyMs);
        return answer;
    }

    /// <summary>
    /// The value of <c>X-LoanHub-Signature</c>: HMAC-SHA256 keyed with the UTF-8 secret over
    /// <c>"&lt;unixSeconds&gt;." + body</c>, as <c>sha256=</c> and lowercase hex.
    /// </summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var keyLength = Encoding.UTF8.GetByteCount(secret);
        var rentedKey = keyLength > 1024 ? ArrayPool<byte>.Shared.Rent(keyLength) : null;
        var key = rentedKey is null ? stackalloc byte[keyLength] : rentedKey.AsSpan(0, keyLength);
        var signed = ArrayPool<byte>.Shared.Rent(20 + 1 + body.Length);
        try
        {
            Encoding.UTF8.GetBytes(secret, key);
            unixSeconds.TryFormat(signed, out var digits, provider: CultureInfo.InvariantCulture);
            signed[digits] = (byte)'.';
            body.CopyTo(signed.AsSpan(digits + 1));
            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, signed.AsSpan(0, digits + 1 + body.Length), hash);
            return string.Create(SignaturePrefix.Length + hash.Length * 2, hash, static (chars, h) =>
            {
                SignaturePrefix.CopyTo(chars);
                Convert.TryToHexStringLower(h, chars[SignaturePrefix.Length..], out _);
            });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(signed);
            if (rentedKey is not null) ArrayPool<byte>.Shared.Return(rentedKey);
        }
    }

    private static async Task<LenderAnswer> ReadAnswerAsync(LenderCall call, HttpResponseMessage response, long started, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location?.OriginalString;
            return Failure(location is null ? $"redirect (HTTP {status}) not followed" : $"redirect to {location} not followed", status, started, null);
        }

        if (response.Content.Headers.ContentLength > LeadContract.MaxAnswerBytes)
            return Failure(status is >= 200 and < 300 ? OverLimit : $"HTTP {status}", status, started, null);

        var (buffer, length) = await ReadLimitedAsync(response.Content, cancellationToken);
        try
        {
            var text = Excerpt(buffer, length);
            if (status is < 200 or >= 300) return Failure($"HTTP {status}", status, started, text);
            if (length > LeadContract.MaxAnswerBytes) return Failure(OverLimit, status, started, text);
            return Interpret(call.Stage, buffer.AsSpan(0, length), status, ElapsedMs(started), text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads at most one byte past <see cref="LeadContract.MaxAnswerBytes"/> into a pooled buffer (the caller returns it),
    /// so an endless answer costs no more than a long one. A length above the limit means the answer was too long.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        const int limit = LeadContract.MaxAnswerBytes + 1;
        var announced = content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(announced is { } n ? (int)Math.Min(n + 1, limit) : FirstReadSize);
        var length = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            while (length < limit)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken);
                if (read == 0) break;
                length += read;
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static LenderAnswer Interpret(DeliveryStage stage, ReadOnlySpan<byte> json, int status, int latencyMs, string? text)
    {
        LenderReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize<LenderReply>(json, LeadContract.JsonOptions);
        }
        catch (JsonException e)
        {
            return Error(NotAReply(json, e), status, latencyMs, text);
        }

        if (reply is null) return Error("answer is not a JSON object", status, latencyMs, text);
        if (reply.Accept is not { } accept) return Error("answer has no \"accept\": true or false", status, latencyMs, text);
        if (!accept)
        {
            var reason = Truncate(reply.Reason?.Trim(), MaxReasonLength);
            return new(AnswerKind.Refused, string.IsNullOrEmpty(reason) ? null : reason, null, null, null, status, latencyMs, text);
        }

        if (stage == DeliveryStage.Precheck)
        {
            if (reply.Price is { } price && (price < 0 || decimal.Round(price, 2) != price))
                return Error($"price {price.ToString(CultureInfo.InvariantCulture)} is negative or has more than 2 decimal places", status, latencyMs, text);
            return new(AnswerKind.Accepted, null, reply.Price, null, null, status, latencyMs, text);
        }

        if (reply.LenderRef is { Length: > MaxLenderRefLength })
            return Error($"lenderRef longer than {MaxLenderRefLength} characters", status, latencyMs, text);
        return new(AnswerKind.Accepted, null, null, reply.LenderRef, UsableRedirect(reply.RedirectUrl), status, latencyMs, text);
    }

    /// <summary>Only an absolute web address is handed to the applicant; anything else (relative, javascript:, overlong) is dropped.</summary>
    private static string? UsableRedirect(string? url) =>
        url is { Length: > 0 and <= MaxRedirectUrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? url
            : null;

    /// <summary>Why a body did not deserialize: not JSON at all, JSON but not an object, or an object with a field of the wrong kind.</summary>
    private static string NotAReply(ReadOnlySpan<byte> json, JsonException e)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read()) return "answer is empty";
            if (reader.TokenType != JsonTokenType.StartObject) return "answer is not a JSON object";
            reader.Skip();
            while (reader.Read()) { }
        }
        catch (JsonException)
        {
            return json.Trim(" \t\r\n"u8).IsEmpty ? "answer is empty" : "answer is not JSON";
        }
        return Truncate($"answer field {e.Path ?? "$"} is not of the expected type", MaxReasonLength)!;
    }

    private static string Describe(Exception exception, Uri url)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case EndpointRefusedException refused:
                    return $"endpoint address {refused.Address} not allowed";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return Truncate($"host name {url.Host} not found", MaxReasonLength)!;
                case SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable }:
                    return "network unreachable";
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted }:
                    return "connection reset by the lender";
                case SocketException socket:
                    return $"connection failed ({socket.SocketErrorCode})";
                case AuthenticationException:
                    return "TLS handshake failed";
            }
        }
        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => Truncate($"host name {url.Host} not found", MaxReasonLength)!,
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "TLS handshake failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "connection closed before the answer was complete",
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError } => "invalid HTTP answer",
            HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } => "answer headers too large",
            HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } => "connection closed before the answer was complete",
            IOException => "connection lost while reading the answer",
            _ => "request failed",
        };
    }

    private static LenderAnswer Failure(string reason, int? status, long started, string? text) =>
        Error(reason, status, ElapsedMs(started), text);

    private static LenderAnswer Error(string reason, int? status, int latencyMs, string? text) =>
        new(AnswerKind.Error, Truncate(reason, MaxReasonLength), null, null, null, status, latencyMs, text);

    private static int ElapsedMs(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>The start of the answer as text. 8,000 bytes always decode to more than 2,000 characters, so no more is decoded.</summary>
    private static string? Excerpt(byte[] buffer, int length) =>
        length == 0 ? null : Truncate(Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaxBodyLength * 4)), MaxBodyLength);

    private static string? Truncate(string? text, int max)
    {
        if (text is null || text.Length <= max) return text;
        return char.IsHighSurrogate(text[max - 1]) ? text[..(max - 1)] : text[..max];
    }

    /// <summary>
    /// The connection step of every lender call: resolve the host ourselves and refuse when any address it resolves to
    /// is internal (or loopback for a name that is not loopback), so a lender cannot point its DNS at our network.
    /// Checking every address, not only the one connected to, leaves no room for a name that answers both ways.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(DeliveryOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxConnectionsPerServer = 256,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, options.AllowPrivateEndpoints, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateEndpoints, CancellationToken cancellationToken)
    {
        var uri = context.InitialRequestMessage.RequestUri
            ?? throw new InvalidOperationException("A lender call has no request URI.");
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        foreach (var address in addresses)
            if (!EndpointRules.MayConnect(uri, address, allowPrivateEndpoints))
                throw new EndpointRefusedException(address);

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    private sealed class EndpointRefusedException(IPAddress address)
        : Exception($"The endpoint address {address} is not allowed.")
    {
        public IPAddress Address { get; } = address;
    }
}

public static class DeliveryClientExtensions
{
    /// <summary>
    /// The <c>lenders</c> HttpClient behind its guarded handler, and <see cref="LenderClient"/>.
    /// <see cref="DeliveryOptions"/> must be registered by the caller (bound from <see cref="DeliveryOptions.Section"/>).
    /// </summary>
    public static IServiceCollection AddLenderClient(this IServiceCollection services)
    {
        services.AddHttpClient(LenderClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => LenderClient.CreateHandler(sp.GetRequiredService<DeliveryOptions>()))
            // The handler pool recycles connections itself (PooledConnectionLifetime); LenderClient keeps one client.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // Four Information lines per call at a thousand leads a second; LenderClient logs each outcome instead.
            .RemoveAllLoggers();
        services.AddSingleton<LenderClient>();
        return services;
    }
}
