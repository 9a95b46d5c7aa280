using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LoanHub.Core.Delivery;
using LoanHub.Web.Features.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoanHub.Tests.Web.Features.Delivery;

public sealed class LenderClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(5);
    private const int SlackMs = 2000;

    private readonly LenderStub stub = new();
    private readonly CapturedLogs logs = new();
    private ServiceProvider services = null!;
    private LenderClient client = null!;
    private int deliveries;

    public async Task InitializeAsync()
    {
        await stub.StartAsync();
        services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton(new DeliveryOptions { AllowPrivateEndpoints = false })
            .AddLenderClient()
            .BuildServiceProvider();
        client = services.GetRequiredService<LenderClient>();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await stub.DisposeAsync();
    }

    [Fact]
    public async Task Signed_precheck_reaches_the_lender_and_its_signature_verifies()
    {
        var call = Precheck();

        var answer = await SendAsync(call, PrecheckBody(call.DeliveryId));

        Assert.Equal(AnswerKind.Accepted, answer.Kind);
        Assert.Equal(200, answer.HttpStatus);
        var received = Assert.Single(stub.Received);
        Assert.Equal("/precheck", received.Path);
        Assert.True(received.SignatureValid);
        Assert.Equal($"{call.DeliveryId}:precheck", received.IdempotencyKey);
        // The contract's JSON names, camelCase, exactly as lenders read them.
        Assert.Equal(call.DeliveryId, (string?)received.Body["deliveryId"]);
        Assert.Equal("e10adc3949ba59abbe56e057f20f883e", (string?)received.Body["phoneMd5"]);
        Assert.Equal(20000m, (decimal?)received.Body["requestedAmount"]);
    }

    [Fact]
    public async Task Wrong_secret_fails_the_lenders_check_and_is_an_error()
    {
        var call = Precheck() with { Secret = "not-the-secret-the-lender-holds-0123456789" };

        var answer = await SendAsync(call, PrecheckBody(call.DeliveryId));

        Assert.False(Assert.Single(stub.Received).SignatureValid);
        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("HTTP 401", answer.Reason);
        Assert.Equal(401, answer.HttpStatus);
    }

    [Fact]
    public async Task Precheck_acceptance_carries_the_price_and_nothing_of_a_post()
    {
        stub.OnPrecheck = _ => StubReply.Json(new JsonObject
        {
            ["accept"] = true, ["price"] = 12.5m, ["lenderRef"] = "R-1", ["redirectUrl"] = "https://lender.example/x",
        });

        var answer = await SendAsync(Precheck(), PrecheckBody("ignored"));

        Assert.Equal(AnswerKind.Accepted, answer.Kind);
        Assert.Equal(12.5m, answer.Price);
        Assert.Null(answer.LenderRef);
        Assert.Null(answer.RedirectUrl);
        Assert.Null(answer.Reason);
    }

    [Fact]
    public async Task Post_acceptance_carries_lenderRef_and_redirectUrl()
    {
        var call = Post();

        var answer = await SendAsync(call, PostBody(call.DeliveryId));

        Assert.Equal(AnswerKind.Accepted, answer.Kind);
        Assert.Equal("REF-1", answer.LenderRef);
        Assert.Equal("https://lender.example/continue/1", answer.RedirectUrl);
        var received = Assert.Single(stub.Received);
        Assert.Equal("/applications", received.Path);
        Assert.True(received.SignatureValid);
        Assert.Equal($"{call.DeliveryId}:post", received.IdempotencyKey);
        Assert.Equal("王芳", (string?)received.Body["applicant"]?["fullName"]);
    }

    [Fact]
    public async Task Post_acceptance_ignores_a_price()
    {
        stub.OnPost = _ => StubReply.Json(new JsonObject { ["accept"] = true, ["price"] = 30m, ["lenderRef"] = "R-9" });

        var answer = await SendAsync(Post(), PostBody("D"));

        Assert.Equal(AnswerKind.Accepted, answer.Kind);
        Assert.Null(answer.Price);
        Assert.Equal("R-9", answer.LenderRef);
        Assert.Null(answer.RedirectUrl);
    }

    [Fact]
    public async Task Refusal_carries_the_lenders_reason()
    {
        stub.OnPrecheck = _ => StubReply.Refuse("  already our customer  ");

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(AnswerKind.Refused, answer.Kind);
        Assert.Equal("already our customer", answer.Reason);
        Assert.Equal(200, answer.HttpStatus);
        Assert.Null(answer.Price);
    }

    [Fact]
    public async Task Long_refusal_reason_is_cut_to_300_characters_and_the_body_to_2000()
    {
        stub.OnPrecheck = _ => StubReply.Refuse(new string('r', 5000));

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(AnswerKind.Refused, answer.Kind);
        Assert.Equal(new string('r', 300), answer.Reason);
        Assert.Equal(2000, answer.Body?.Length);
        Assert.StartsWith("{\"accept\":false,\"reason\":\"rrr", answer.Body);
    }

    [Fact]
    public async Task Slow_lender_times_out_within_its_timeout()
    {
        stub.OnPrecheck = _ => StubReply.Delay(TimeSpan.FromSeconds(10), StubReply.Accept());
        var call = Precheck() with { Timeout = TimeSpan.FromMilliseconds(300) };

        var answer = await SendAsync(call, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Timeout, answer.Kind);
        Assert.Equal("timeout after 300 ms", answer.Reason);
        Assert.Null(answer.HttpStatus);
        Assert.InRange(answer.LatencyMs, 250, 300 + SlackMs);
    }

    [Fact]
    public async Task Lender_that_stalls_halfway_through_its_answer_times_out()
    {
        stub.OnPrecheck = _ => StubReply.StallMidAnswer();
        var call = Precheck() with { Timeout = TimeSpan.FromMilliseconds(400) };

        var answer = await SendAsync(call, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Timeout, answer.Kind);
        Assert.Equal(200, answer.HttpStatus);
        Assert.InRange(answer.LatencyMs, 350, 400 + SlackMs);
    }

    [Fact]
    public async Task Callers_cancellation_propagates_and_is_not_a_timeout()
    {
        stub.OnPrecheck = _ => StubReply.Hang();
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.SendAsync(Precheck() with { Timeout = Generous }, PrecheckBody("D"), caller.Token).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Http_500_is_an_error()
    {
        stub.OnPrecheck = _ => StubReply.Status(500);

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("HTTP 500", answer.Reason);
        Assert.Equal(500, answer.HttpStatus);
        Assert.Contains("status 500", answer.Body);
    }

    [Fact]
    public async Task Garbage_is_an_error()
    {
        stub.OnPrecheck = _ => StubReply.Garbage();

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("answer is not JSON", answer.Reason);
        Assert.Equal("not json <html>", answer.Body);
    }

    [Theory]
    [InlineData("[{\"accept\":true}]", "answer is not a JSON object")]
    [InlineData("null", "answer is not a JSON object")]
    [InlineData("true", "answer is not a JSON object")]
    [InlineData("{}", "answer has no \"accept\": true or false")]
    [InlineData("{\"reason\":\"fine\"}", "answer has no \"accept\": true or false")]
    [InlineData("{\"accept\":\"yes\"}", "answer field $.accept is not of the expected type")]
    [InlineData("{\"accept\":true", "answer is not JSON")]
    [InlineData("", "answer is empty")]
    public async Task An_answer_that_is_not_a_reply_is_an_error(string body, string reason)
    {
        stub.OnPrecheck = _ => StubReply.Raw(body);

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal(reason, answer.Reason);
    }

    [Theory]
    [InlineData("{\"Accept\":false,\"Reason\":\"no\"}", AnswerKind.Refused)]
    [InlineData("{\"ACCEPT\":true,\"PRICE\":3}", AnswerKind.Accepted)]
    public async Task Reply_names_are_read_case_insensitively(string body, AnswerKind kind)
    {
        stub.OnPrecheck = _ => StubReply.Raw(body);

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(kind, answer.Kind);
    }

    [Theory]
    [InlineData("-1", false)]
    [InlineData("1.005", false)]
    [InlineData("0", true)]
    [InlineData("12.5", true)]
    [InlineData("12.500", true)]
    public async Task A_negative_or_sub_cent_price_is_an_error(string price, bool valid)
    {
        stub.OnPrecheck = _ => StubReply.Raw($"{{\"accept\":true,\"price\":{price}}}");

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(valid ? AnswerKind.Accepted : AnswerKind.Error, answer.Kind);
        if (valid) Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), answer.Price);
        else Assert.Null(answer.Price);
    }

    [Theory]
    [InlineData(100, AnswerKind.Accepted)]
    [InlineData(101, AnswerKind.Error)]
    public async Task LenderRef_over_100_characters_is_an_error(int length, AnswerKind kind)
    {
        stub.OnPost = _ => StubReply.AcceptPost(new string('R', length), "https://lender.example/continue/1");

        var answer = await SendAsync(Post(), PostBody("D"));

        Assert.Equal(kind, answer.Kind);
        Assert.Equal(kind == AnswerKind.Accepted ? new string('R', length) : null, answer.LenderRef);
    }

    [Theory]
    [InlineData("/continue/1")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://lender.example/continue")]
    [InlineData("")]
    public async Task Unusable_redirectUrl_is_dropped_and_the_acceptance_kept(string redirectUrl)
    {
        stub.OnPost = _ => StubReply.AcceptPost("R-1", redirectUrl);

        var answer = await SendAsync(Post(), PostBody("D"));

        Assert.Equal(AnswerKind.Accepted, answer.Kind);
        Assert.Equal("R-1", answer.LenderRef);
        Assert.Null(answer.RedirectUrl);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(501, false)]
    public async Task RedirectUrl_is_kept_up_to_500_characters(int length, bool kept)
    {
        var url = "https://lender.example/continue/" + new string('c', length - "https://lender.example/continue/".Length);
        stub.OnPost = _ => StubReply.AcceptPost("R-1", url);

        var answer = await SendAsync(Post(), PostBody("D"));

        Assert.Equal(AnswerKind.Accepted, answer.Kind);
        Assert.Equal(kept ? url : null, answer.RedirectUrl);
    }

    [Fact]
    public async Task Huge_answer_is_an_error()
    {
        stub.OnPrecheck = _ => StubReply.Huge();

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("answer over 64 KiB", answer.Reason);
    }

    [Fact]
    public async Task Huge_answer_is_an_error_and_is_not_read_whole()
    {
        // The body never ends: a client that read it whole would only ever come back with its timeout.
        stub.OnPrecheck = _ => StubReply.HugeEndless();

        var answer = await SendAsync(Precheck() with { Timeout = Generous }, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("answer over 64 KiB", answer.Reason);
        Assert.Equal(2000, answer.Body?.Length);
    }

    [Fact]
    public async Task Announced_huge_answer_is_refused_from_its_content_length_without_reading()
    {
        // Announces 200 KiB and then stalls: a client that waited for the body would come back with its timeout.
        stub.OnPrecheck = _ => StubReply.HugeAnnounced();

        var answer = await SendAsync(Precheck() with { Timeout = Generous }, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("answer over 64 KiB", answer.Reason);
    }

    [Theory]
    [InlineData(LeadContract.MaxAnswerBytes, AnswerKind.Accepted)]
    [InlineData(LeadContract.MaxAnswerBytes + 1, AnswerKind.Error)]
    public async Task Answer_of_64_KiB_is_read_and_one_byte_more_is_not(int bytes, AnswerKind kind)
    {
        const string head = "{\"accept\":true,\"reason\":\"";
        stub.OnPrecheck = _ => StubReply.Raw(head + new string('x', bytes - head.Length - 2) + "\"}");

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(kind, answer.Kind);
    }

    [Fact]
    public async Task Redirect_is_not_followed()
    {
        var elsewhere = new Uri(stub.BaseUrl, "/elsewhere");
        stub.OnPrecheck = _ => StubReply.Redirect(elsewhere.ToString());

        var answer = await SendAsync(Precheck(), PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal($"redirect to {elsewhere} not followed", answer.Reason);
        Assert.Equal(302, answer.HttpStatus);
        Assert.Equal("/precheck", Assert.Single(stub.Received).Path);
    }

    [Fact]
    public async Task Repeated_idempotency_key_is_sent_as_given()
    {
        var prices = 0;
        stub.OnPrecheck = _ => StubReply.Accept(Interlocked.Increment(ref prices));
        var call = Precheck();

        var first = await SendAsync(call, PrecheckBody(call.DeliveryId));
        var again = await SendAsync(call, PrecheckBody(call.DeliveryId));
        await SendAsync(Post() with { DeliveryId = call.DeliveryId }, PostBody(call.DeliveryId));

        Assert.Equal([$"{call.DeliveryId}:precheck", $"{call.DeliveryId}:precheck", $"{call.DeliveryId}:post"],
            stub.Received.Select(r => r.IdempotencyKey));
        // The lender recognised the retry and answered it as the first time.
        Assert.Equal(1m, first.Price);
        Assert.Equal(1m, again.Price);
        Assert.Equal(1, prices);
    }

    [Theory]
    [InlineData("https://10.255.255.1/x", "10.255.255.1")]
    [InlineData("https://169.254.169.254/latest/meta-data", "169.254.169.254")]
    [InlineData("https://192.168.1.1/x", "192.168.1.1")]
    [InlineData("https://[fd00::1]/x", "fd00::1")]
    [InlineData("https://0.0.0.0/x", "0.0.0.0")]
    public async Task Private_address_is_refused_at_connect_time(string url, string address)
    {
        // Unroutable or absent: a connection attempt would end in the timeout, not in this reason.
        var call = Precheck() with { Url = new Uri(url), Timeout = Generous };

        var answer = await SendAsync(call, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal($"endpoint address {address} not allowed", answer.Reason);
        Assert.Null(answer.HttpStatus);
    }

    [Fact]
    public async Task Loopback_is_reached_by_name_when_the_url_names_it()
    {
        var call = Precheck() with { Url = new UriBuilder(stub.PrecheckUrl) { Host = "localhost" }.Uri };

        var answer = await SendAsync(call, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Accepted, answer.Kind);
    }

    [Theory]
    [InlineData("https://lender.example/x", "127.0.0.1", false, false)]
    [InlineData("https://lender.example/x", "::1", false, false)]
    [InlineData("https://lender.example/x", "::ffff:127.0.0.1", false, false)]
    [InlineData("https://lender.example/x", "10.0.0.5", false, false)]
    [InlineData("https://lender.example/x", "::ffff:10.0.0.5", false, false)]
    [InlineData("https://lender.example/x", "100.64.0.1", false, false)]
    [InlineData("https://lender.example/x", "10.0.0.5", true, true)]
    [InlineData("https://lender.example/x", "127.0.0.1", true, false)]
    [InlineData("https://lender.example/x", "203.0.113.7", false, true)]
    [InlineData("http://127.0.0.1:5000/x", "127.0.0.1", false, true)]
    [InlineData("http://localhost:5000/x", "::1", false, true)]
    public void A_name_is_judged_by_the_addresses_it_resolves_to(string url, string address, bool allowPrivate, bool allowed)
    {
        // A public name that resolves to loopback or a private address cannot be staged offline, so the rule the
        // connect step applies to every resolved address is checked directly.
        Assert.Equal(allowed, EndpointRules.MayConnect(new Uri(url), IPAddress.Parse(address), allowPrivate));
    }

    [Fact]
    public async Task Connection_refused_is_an_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var answer = await SendAsync(Precheck() with { Url = new Uri($"http://127.0.0.1:{port}/precheck") }, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("connection refused", answer.Reason);
        Assert.Null(answer.HttpStatus);
    }

    [Fact]
    public async Task Unknown_host_is_an_error()
    {
        var answer = await SendAsync(Precheck() with { Url = new Uri("https://no-such-lender.invalid/precheck"), Timeout = Generous }, PrecheckBody("D"));

        Assert.Equal(AnswerKind.Error, answer.Kind);
        Assert.Equal("host name no-such-lender.invalid not found", answer.Reason);
    }

    [Fact]
    public async Task Neither_the_secret_nor_the_body_is_logged()
    {
        stub.OnPost = _ => StubReply.Status(500);
        await SendAsync(Precheck(), PrecheckBody("D-logged"));
        await SendAsync(Post(), PostBody("D-logged"));
        stub.OnPrecheck = _ => StubReply.Hang();
        await SendAsync(Precheck() with { Timeout = TimeSpan.FromMilliseconds(200) }, PrecheckBody("D-logged"));

        Assert.NotEmpty(logs.Messages);
        Assert.Contains(logs.Messages, m => m.Contains("HTTP 500"));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(stub.Secret) || m.Contains("e10adc3949ba59abbe56e057f20f883e") || m.Contains("王芳"));
    }

    [Fact]
    public void Sign_matches_a_known_vector()
    {
        const string secret = "lender-shared-secret-0123456789abcdef";
        var body = Encoding.UTF8.GetBytes("{\"deliveryId\":\"D-1\",\"note\":\"撞库\"}");
        byte[] signed = [.. "1767225600."u8, .. body];
        var independent = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));

        var signature = LenderClient.Sign(secret, 1767225600, body);

        // Computed once with Python's hmac module.
        Assert.Equal("sha256=b372ac48ed71fb6c316abaa5e7ce19b0023b7252279f5aa5705b9c764898b819", signature);
        Assert.Equal(independent, signature);
    }

    [Fact]
    public void Signature_depends_on_every_input()
    {
        var body = "{\"deliveryId\":\"D-1\"}"u8.ToArray();
        var signature = LenderClient.Sign(LenderStub.DefaultSecret, 1767225600, body);

        Assert.NotEqual(signature, LenderClient.Sign(LenderStub.DefaultSecret + "x", 1767225600, body));
        Assert.NotEqual(signature, LenderClient.Sign(LenderStub.DefaultSecret, 1767225601, body));
        Assert.NotEqual(signature, LenderClient.Sign(LenderStub.DefaultSecret, 1767225600, "{\"deliveryId\":\"D-2\"}"u8));
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
    }

    private LenderCall Precheck() =>
        new(stub.PrecheckUrl, stub.Secret, DeliveryStage.Precheck, $"D-{Interlocked.Increment(ref deliveries)}", TimeSpan.FromSeconds(2));

    private LenderCall Post() =>
        new(stub.PostUrl, stub.Secret, DeliveryStage.Post, $"D-{Interlocked.Increment(ref deliveries)}", TimeSpan.FromSeconds(2));

    /// <summary>Bounded, so a client that hangs fails the test instead of stalling the run.</summary>
    private Task<LenderAnswer> SendAsync<TBody>(LenderCall call, TBody body) =>
        client.SendAsync(call, body, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

    private static PrecheckRequest PrecheckBody(string deliveryId) =>
        new(deliveryId, "L1-CASH", "e10adc3949ba59abbe56e057f20f883e", new string('a', 64), "31", 20000m, 12, "A", 760);

    private static PostRequest PostBody(string deliveryId) =>
        new(deliveryId, Guid.NewGuid(), "L1-CASH",
            new LeadApplicant("王芳", "310104198001010012", "13900000001", "31", "Shanghai", 12000m, 1500m, "Salaried", 20000m, 12, "Consumption"),
            new LeadRisk(760, "A", ["R01"]),
            new LeadConsent(true, true, "我同意查询征信并向合作机构提供申请信息。", DateTimeOffset.UtcNow));

    /// <summary>Every formatted log message, at every level.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> messages = new();
        public IReadOnlyCollection<string> Messages => messages;
        public ILogger CreateLogger(string categoryName) => new Logger(messages);
        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception) + exception);
        }
    }
}
