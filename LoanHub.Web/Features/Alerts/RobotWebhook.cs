using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoanHub.Web.Features.Alerts;

/// <summary>How a robot call went: <see cref="Error"/> is null when the group got the message.</summary>
public sealed record RobotResult(string? Error)
{
    public static RobotResult Sent { get; } = new((string?)null);
    public bool Ok => Error is null;
}

/// <summary>
/// Posts a text message to a WeCom (企业微信) or DingTalk (钉钉) group robot, in the JSON text-message format both
/// document (<c>{"msgtype":"text","text":{"content":…}}</c>). A DingTalk robot with 加签 (signing) gets
/// <c>timestamp</c> and <c>sign</c> on its address: Base64 of HMAC-SHA256 over "timestamp\nsecret", keyed by the secret.
/// Both answer 200 with <c>errcode</c> 0 when they took the message. A robot that fails is reported, never thrown:
/// an alert is raised whether or not its group could be told.
/// </summary>
public sealed class RobotWebhook(IHttpClientFactory clients, TimeProvider clock, ILogger<RobotWebhook> logger)
{
    public const string HttpClientName = "alert-robots";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<RobotResult> SendAsync(AlertChannel channel, string url, string? secret, string text, CancellationToken cancellationToken = default)
    {
        if (channel == AlertChannel.None) return new RobotResult("No robot is set for this rule.");
        var address = channel == AlertChannel.DingTalk && !string.IsNullOrEmpty(secret) ? Signed(url, secret, clock.GetUtcNow()) : url;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            using var response = await clients.CreateClient(HttpClientName)
                .PostAsJsonAsync(address, new TextMessage("text", new TextContent(text)), timeout.Token);
            if (!response.IsSuccessStatusCode) return new RobotResult($"The robot answered HTTP {(int)response.StatusCode}.");
            var answer = await ReadAnswerAsync(response, timeout.Token);
            return answer is { ErrCode: 0 } ? RobotResult.Sent
                : new RobotResult(answer is null ? "The robot's answer was not JSON." : $"The robot refused the message: {answer.ErrCode} {answer.ErrMsg}".TrimEnd());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RobotResult($"The robot did not answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("An alert robot could not be reached: {Error}", e.Message);
            return new RobotResult($"The robot could not be reached: {e.Message}");
        }
    }

    /// <summary>DingTalk's signed address: <paramref name="url"/> with the millisecond timestamp and its signature.</summary>
    public static string Signed(string url, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{url}{separator}timestamp={timestamp}&sign={Uri.EscapeDataString(signature)}";
    }

    private static async Task<RobotAnswer?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<RobotAnswer>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record TextMessage([property: JsonPropertyName("msgtype")] string MsgType, [property: JsonPropertyName("text")] TextContent Text);

    private sealed record TextContent([property: JsonPropertyName("content")] string Content);

    private sealed record RobotAnswer([property: JsonPropertyName("errcode")] int ErrCode, [property: JsonPropertyName("errmsg")] string? ErrMsg);
}
