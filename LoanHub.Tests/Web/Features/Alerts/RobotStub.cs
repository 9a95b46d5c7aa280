using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoanHub.Tests.Web.Features.Alerts;

/// <summary>A message as the group robot's server received it.</summary>
public sealed record RobotMessage(string PathAndQuery, JsonObject? Body, bool? SignatureValid)
{
    public string? Text => Body?["text"]?["content"]?.GetValue<string>();
}

/// <summary>
/// A WeCom or DingTalk group robot for the tests: real Kestrel on 127.0.0.1, answering as the robots document
/// (<c>{"errcode":0,"errmsg":"ok"}</c>), and, given a secret, checking DingTalk's signature the way DingTalk's
/// documentation describes it (independently of the code under test).
/// </summary>
public sealed class RobotStub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<RobotMessage> received = [];
    private Uri? baseUrl;

    public RobotStub(string? secret = null)
    {
        Secret = secret;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(HandleAsync);
    }

    public string? Secret { get; }

    /// <summary>What the robot answers: 200 and errcode 0 unless told otherwise.</summary>
    public (int Status, string Body) Reply { get; set; } = (200, """{"errcode":0,"errmsg":"ok"}""");

    public string WebhookUrl => new Uri(baseUrl ?? throw new InvalidOperationException("Start the stub first."), "/robot/send?access_token=stub-token").ToString();

    public IReadOnlyList<RobotMessage> Received
    {
        get
        {
            lock (received) return [.. received];
        }
    }

    public async Task<RobotStub> StartAsync()
    {
        await app.StartAsync();
        baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            json = null;
        }
        lock (received) received.Add(new RobotMessage(context.Request.Path + context.Request.QueryString, json, SignatureValid(context.Request)));
        context.Response.StatusCode = Reply.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Reply.Body);
    }

    /// <summary>DingTalk: sign = Base64(HMAC-SHA256(key: secret, "timestamp\nsecret")), timestamp in ms within an hour of now.</summary>
    private bool? SignatureValid(HttpRequest request)
    {
        if (Secret is null) return null;
        var timestamp = request.Query["timestamp"].ToString();
        var sign = request.Query["sign"].ToString();
        if (!long.TryParse(timestamp, out var ms) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms) > 3_600_000) return false;
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "\n" + Secret)));
        return expected == sign;
    }
}
