using System.Security.Claims;
using System.Text.Json;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Lenders;

/// <summary>
/// Lender delivery settings, secret, test pre-check and health over the real application. Each test works on a
/// lender of its own, whose products are paused so that no lead of another test is routed to it.
/// </summary>
public sealed class LenderDeliveryServiceTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string PublicPrecheck = "https://lender.example.com/loanhub/precheck";
    private const string PublicPost = "https://lender.example.com/loanhub/applications";

    private static readonly ClaimsPrincipal Manager = TestUsers.Principal("ops@test.local", Roles.OperationsManager);
    private static readonly ClaimsPrincipal Analyst = TestUsers.Principal("analyst@test.local", Roles.Analyst);
    private static readonly ClaimsPrincipal Reviewer = TestUsers.Principal("review@test.local", Roles.ComplianceReviewer);
    private static int people = 8_600_000;

    private async Task<T> WithAsync<T>(Func<LenderDeliveryService, Task<T>> use)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<LenderDeliveryService>());
    }

    private async Task<T> WithCatalogAsync<T>(Func<LenderCatalogService, Task<T>> use)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<LenderCatalogService>());
    }

    /// <summary>A new pull lender with one paused product.</summary>
    private async Task<ProductRow> NewLenderAsync(string code)
    {
        Assert.True((await WithCatalogAsync(c => c.CreateLenderAsync(Manager, code, $"Lender {code}"))).Succeeded);
        var form = ProductForm.NewFor((await WithCatalogAsync(c => c.ListAsync())).Single(l => l.Code == code));
        form.Code = $"{code}-P1";
        form.Name = "Test loan";
        form.CommissionAmount = 25m;
        Assert.True((await WithCatalogAsync(c => c.SaveProductAsync(Manager, form))).Succeeded);
        var product = (await WithCatalogAsync(c => c.ListAsync())).Single(l => l.Code == code).Products.Single();
        Assert.True((await WithCatalogAsync(c => c.SetProductActiveAsync(Manager, product.Id, false))).Succeeded);
        return product;
    }

    private async Task<int> VersionAsync(string code) => (await WithAsync(d => d.GetAsync(Manager, code)))!.Version;

    private async Task<DeliveryChange> SaveAsync(string code, string? precheck, string? post, int? timeout = null, ClaimsPrincipal? user = null) =>
        await WithAsync(async d => await d.SaveAsync(user ?? Manager, code, precheck, post, timeout, await VersionAsync(code)));

    private async Task<Lender> StoredAsync(string code)
    {
        await using var db = host.CreateDbContext();
        return await db.Lenders.AsNoTracking().SingleAsync(l => l.Code == code);
    }

    private async Task<List<AuditEntry>> AuditOfAsync(string code)
    {
        await using var db = host.CreateDbContext();
        return await db.Audit.AsNoTracking().Where(a => a.EntityId == code).ToListAsync();
    }

    private static JsonElement Json(string? text) => JsonDocument.Parse(text ?? "null").RootElement;

    private async Task<string?> RawSecretColumnAsync(string code)
    {
        await using var connection = await TestStores.OpenAsync(host.DatabasePath);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "DeliverySecret" FROM "Lenders" WHERE "Code" = @code""";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "code";
        parameter.Value = code;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync() as string;
    }

    [Theory]
    [InlineData("T-V1", "http://lender.example.com/precheck", PublicPost, 800, DeliveryFields.PrecheckUrl, "must use https")]
    [InlineData("T-V2", null, "http://lender.example.com/applications", 800, DeliveryFields.PostUrl, "must use https")]
    [InlineData("T-V3", null, "https://10.1.2.3/applications", 800, DeliveryFields.PostUrl, "internal address (10.1.2.3)")]
    [InlineData("T-V4", "https://192.168.0.7/precheck", PublicPost, 800, DeliveryFields.PrecheckUrl, "internal address (192.168.0.7)")]
    [InlineData("T-V5", null, PublicPost, 99, DeliveryFields.TimeoutMs, "must be 100–10,000")]
    [InlineData("T-V6", null, PublicPost, 10_001, DeliveryFields.TimeoutMs, "must be 100–10,000")]
    [InlineData("T-V7", null, "", 800, DeliveryFields.PostUrl, "is required")]
    public async Task Save_refuses_what_may_not_be_called_with_a_message_on_the_field_and_stores_nothing(
        string code, string? precheck, string post, int timeout, string field, string message)
    {
        await NewLenderAsync(code);

        var result = await SaveAsync(code, precheck, post, timeout);

        Assert.Equal(CatalogStatus.Invalid, result.Status);
        Assert.Contains(message, result.FieldErrors[field]);
        Assert.Single(result.FieldErrors);
        Assert.Null(result.NewSecret);
        var stored = await StoredAsync(code);
        Assert.Null(stored.Delivery);
        Assert.Null(stored.DeliverySecret);
        Assert.DoesNotContain(await AuditOfAsync(code), a => a.Action == "Lender delivery set");
    }

    [Fact]
    public async Task Save_reports_every_field_at_fault_at_once()
    {
        await NewLenderAsync("T-VALL");

        var result = await SaveAsync("T-VALL", "http://lender.example.com/precheck", "https://172.16.0.1/post", 5);

        Assert.Equal([DeliveryFields.PostUrl, DeliveryFields.PrecheckUrl, DeliveryFields.TimeoutMs], result.FieldErrors.Keys.Order());
        Assert.StartsWith("The timeout (ms) must be", result.FieldErrors[DeliveryFields.TimeoutMs]);
    }

    [Fact]
    public async Task First_save_returns_a_new_secret_once_and_stores_it_only_encrypted()
    {
        await NewLenderAsync("T-SEC");

        var first = await SaveAsync("T-SEC", PublicPrecheck, PublicPost, 1200);

        Assert.True(first.Succeeded, first.Message);
        var secret = first.NewSecret!;
        Assert.True(secret.Length >= 48, secret);
        Assert.Matches("^[A-Za-z0-9_-]+$", secret);
        var stored = await StoredAsync("T-SEC");
        Assert.Equal(secret, stored.DeliverySecret);
        Assert.Equal(LenderDelivery.Create(PublicPrecheck, PublicPost, 1200, false), stored.Delivery);
        var column = await RawSecretColumnAsync("T-SEC");
        Assert.False(string.IsNullOrEmpty(column));
        Assert.DoesNotContain(secret, column);
        Assert.DoesNotContain(secret, await StoreFiles.ReadAllAsTextAsync(host.DatabasePath));

        var settings = await WithAsync(d => d.GetAsync(Manager, "T-SEC"));
        Assert.True(settings!.SecretSet);
        Assert.Equal((PublicPrecheck, PublicPost, 1200), (settings.PrecheckUrl, settings.PostUrl, settings.TimeoutMs));

        // A later save keeps the secret and shows none.
        var second = await SaveAsync("T-SEC", null, PublicPost, 900);
        Assert.True(second.Succeeded, second.Message);
        Assert.Null(second.NewSecret);
        Assert.Equal(secret, (await StoredAsync("T-SEC")).DeliverySecret);
    }

    [Fact]
    public async Task Delivery_changes_are_audited_with_urls_and_timeout_and_never_the_secret()
    {
        await NewLenderAsync("T-AUD");
        var first = (await SaveAsync("T-AUD", PublicPrecheck, PublicPost)).NewSecret!;
        await SaveAsync("T-AUD", null, PublicPost, 1500);
        var rotated = (await WithAsync(d => d.RotateSecretAsync(Manager, "T-AUD"))).NewSecret!;

        var audit = await AuditOfAsync("T-AUD");

        var sets = audit.Where(a => a.Action == "Lender delivery set").OrderBy(a => a.Id).ToList();
        Assert.Equal(2, sets.Count);
        Assert.Equal("Pull", Json(sets[0].Before).GetProperty("mode").GetString());
        Assert.Equal(PublicPrecheck, Json(sets[0].After).GetProperty("precheckUrl").GetString());
        Assert.True(Json(sets[0].After).GetProperty("secretSet").GetBoolean());
        Assert.Equal(800, Json(sets[1].Before).GetProperty("timeoutMs").GetInt32());
        Assert.Equal(1500, Json(sets[1].After).GetProperty("timeoutMs").GetInt32());
        Assert.False(Json(sets[1].After).GetProperty("secretSet").GetBoolean());
        Assert.Contains(audit, a => a.Action == "Lender delivery secret rotated" && a.Actor == "ops@test.local");
        foreach (var entry in audit)
        {
            Assert.DoesNotContain(first, $"{entry.Before}{entry.After}");
            Assert.DoesNotContain(rotated, $"{entry.Before}{entry.After}");
        }
    }

    [Fact]
    public async Task Rotating_the_secret_replaces_it_and_returns_the_new_one_once()
    {
        await NewLenderAsync("T-ROT");
        var first = (await SaveAsync("T-ROT", null, PublicPost)).NewSecret!;

        var rotated = await WithAsync(d => d.RotateSecretAsync(Manager, "T-ROT"));

        Assert.True(rotated.Succeeded, rotated.Message);
        Assert.NotNull(rotated.NewSecret);
        Assert.NotEqual(first, rotated.NewSecret);
        Assert.Equal(rotated.NewSecret, (await StoredAsync("T-ROT")).DeliverySecret);
        Assert.DoesNotContain(rotated.NewSecret!, await RawSecretColumnAsync("T-ROT"));
    }

    [Fact]
    public async Task A_pull_lender_has_no_secret_to_rotate()
    {
        await NewLenderAsync("T-NOROT");

        var rotated = await WithAsync(d => d.RotateSecretAsync(Manager, "T-NOROT"));

        Assert.Equal(CatalogStatus.Invalid, rotated.Status);
        Assert.Null(rotated.NewSecret);
        Assert.Null((await StoredAsync("T-NOROT")).DeliverySecret);
    }

    [Fact]
    public async Task Saving_from_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        await NewLenderAsync("T-STALE");
        var opened = await VersionAsync("T-STALE");
        Assert.True((await SaveAsync("T-STALE", null, PublicPost)).Succeeded);

        var stale = await WithAsync(d => d.SaveAsync(Manager, "T-STALE", null, "https://other.example.com/post", 800, opened));

        Assert.Equal(CatalogStatus.Conflict, stale.Status);
        Assert.Contains("changed by someone else", stale.Message);
        Assert.Equal(PublicPost, (await StoredAsync("T-STALE")).Delivery!.PostUrl);
    }

    [Fact]
    public async Task Removing_the_delivery_makes_a_pull_lender_and_forgets_the_secret()
    {
        await NewLenderAsync("T-REM");
        Assert.True((await SaveAsync("T-REM", PublicPrecheck, PublicPost)).Succeeded);

        var removed = await WithAsync(d => d.RemoveAsync(Manager, "T-REM"));

        Assert.True(removed.Succeeded, removed.Message);
        var stored = await StoredAsync("T-REM");
        Assert.Null(stored.Delivery);
        Assert.Null(stored.DeliverySecret);
        var entry = (await AuditOfAsync("T-REM")).Single(a => a.Action == "Lender delivery removed");
        Assert.Equal(PublicPost, Json(entry.Before).GetProperty("postUrl").GetString());
        Assert.Equal("Pull", Json(entry.After).GetProperty("mode").GetString());
        Assert.Null((await WithCatalogAsync(c => c.ListAsync())).Single(l => l.Code == "T-REM").PostHost);
    }

    [Fact]
    public async Task Analyst_reads_the_delivery_and_its_health_but_cannot_change_or_test_it()
    {
        await NewLenderAsync("T-ANA");
        Assert.True((await SaveAsync("T-ANA", PublicPrecheck, PublicPost)).Succeeded);
        var secret = (await StoredAsync("T-ANA")).DeliverySecret;

        Assert.Equal(CatalogStatus.Forbidden, (await SaveAsync("T-ANA", null, "https://other.example.com/post", user: Analyst)).Status);
        Assert.Equal(CatalogStatus.Forbidden, (await WithAsync(d => d.RotateSecretAsync(Analyst, "T-ANA"))).Status);
        Assert.Equal(CatalogStatus.Forbidden, (await WithAsync(d => d.RemoveAsync(Analyst, "T-ANA"))).Status);
        var test = await WithAsync(d => d.SendTestPrecheckAsync(Analyst, "T-ANA"));
        Assert.False(test.Sent);

        var stored = await StoredAsync("T-ANA");
        Assert.Equal(PublicPost, stored.Delivery!.PostUrl);
        Assert.Equal(secret, stored.DeliverySecret);
        Assert.Equal(PublicPost, (await WithAsync(d => d.GetAsync(Analyst, "T-ANA")))!.PostUrl);
        Assert.Single(await WithAsync(d => d.HealthAsync(Analyst, "T-ANA")));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithAsync(d => d.GetAsync(Reviewer, "T-ANA")));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithAsync(d => d.HealthAsync(Reviewer, "T-ANA")));
    }

    [Fact]
    public async Task Test_precheck_reaches_the_lender_signed_with_its_secret_and_reports_its_answer_without_recording_an_attempt()
    {
        var product = await NewLenderAsync("T-TEST");
        var secret = (await SaveAsync("T-TEST", PublicPrecheck, PublicPost, 2000)).NewSecret!;
        await using var stub = new LenderStub(secret);
        await stub.StartAsync();
        stub.OnPrecheck = _ => StubReply.Accept(35.5m);
        Assert.True((await SaveAsync("T-TEST", stub.PrecheckUrl.ToString(), stub.PostUrl.ToString(), 2000)).Succeeded);

        var result = await WithAsync(d => d.SendTestPrecheckAsync(Manager, "T-TEST"));

        Assert.True(result.Sent, result.Problem);
        var answer = result.Answer!;
        Assert.Equal(AnswerKind.Accepted, answer.Kind);
        Assert.Equal(35.5m, answer.Price);
        Assert.Equal(200, answer.HttpStatus);
        Assert.InRange(answer.LatencyMs, 0, 2000);
        Assert.Contains("35.5", answer.Body);
        var request = Assert.Single(stub.Received);
        Assert.Equal("/precheck", request.Path);
        Assert.True(request.SignatureValid);
        Assert.StartsWith("test-", (string)request.Body["deliveryId"]!);
        Assert.EndsWith(":precheck", request.IdempotencyKey);
        Assert.Equal(product.Code, (string)request.Body["productCode"]!);
        Assert.Equal(LeadPayloads.PhoneMd5("13800138000"), (string)request.Body["phoneMd5"]!);
        Assert.Equal(LeadPayloads.NationalIdSha256("11010519491231002X"), (string)request.Body["nationalIdSha256"]!);
        Assert.Equal("31", (string)request.Body["provinceCode"]!);
        Assert.Equal(10_000m, (decimal)request.Body["requestedAmount"]!);
        Assert.Equal((12, "B", 620), ((int)request.Body["termMonths"]!, (string)request.Body["tier"]!, (int)request.Body["score"]!));

        await using var db = host.CreateDbContext();
        var lender = await db.Lenders.AsNoTracking().SingleAsync(l => l.Code == "T-TEST");
        Assert.False(await db.DeliveryAttempts.AnyAsync(a => a.LenderId == lender.Id));
        Assert.Equal(0, (await WithAsync(d => d.HealthAsync(Manager, "T-TEST"))).Single().Health.Attempts);
        var audit = (await AuditOfAsync("T-TEST")).Single(a => a.Action == "Test pre-check sent");
        Assert.Contains("Accepted", audit.After);
        Assert.DoesNotContain(secret, audit.After);
    }

    [Fact]
    public async Task Test_precheck_reports_a_refusal_and_says_so_when_there_is_no_precheck_url()
    {
        await NewLenderAsync("T-TREF");
        var secret = (await SaveAsync("T-TREF", null, PublicPost)).NewSecret!;
        await using var stub = new LenderStub(secret);
        await stub.StartAsync();
        stub.OnPrecheck = _ => StubReply.Refuse("known applicant");

        var none = await WithAsync(d => d.SendTestPrecheckAsync(Manager, "T-TREF"));
        Assert.False(none.Sent);
        Assert.Contains("no pre-check URL", none.Problem);
        Assert.Empty(stub.Received);

        Assert.True((await SaveAsync("T-TREF", stub.PrecheckUrl.ToString(), stub.PostUrl.ToString())).Succeeded);
        var refused = await WithAsync(d => d.SendTestPrecheckAsync(Manager, "T-TREF"));
        Assert.Equal(AnswerKind.Refused, refused.Answer!.Kind);
        Assert.Equal("known applicant", refused.Answer.Reason);
    }

    [Fact]
    public async Task Health_counts_the_attempts_that_ended_in_the_window_and_gives_their_latency_per_minute()
    {
        var product = await NewLenderAsync("T-HLT");
        Assert.True((await SaveAsync("T-HLT", PublicPrecheck, PublicPost)).Succeeded);
        var lenderId = (await StoredAsync("T-HLT")).Id;
        var leads = new RoutedLeads(host.CreateClient(), () => Interlocked.Increment(ref people));
        var application = new ApplicationId(Guid.Parse(await leads.CplAsync()));
        var now = DateTimeOffset.UtcNow;
        var sequence = 10;
        DeliveryAttempt Attempt(bool withPrecheck, DateTimeOffset createdAt) =>
            new(application, lenderId, product.Id, sequence++, withPrecheck, 0m, createdAt);

        var accepted = Attempt(true, now.AddSeconds(-151));
        accepted.RecordPrecheck(CallResult.Accepted, 100, 30m, null, now.AddSeconds(-150.9));
        accepted.RecordPost(CallResult.Accepted, 200, "R1", null, null, now.AddSeconds(-150));
        var refused = Attempt(true, now.AddSeconds(-211));
        refused.RecordPrecheck(CallResult.Refused, 50, null, "known", now.AddSeconds(-210));
        var timedOut = Attempt(true, now.AddSeconds(-31));
        timedOut.RecordPrecheck(CallResult.Timeout, 800, null, "timeout", now.AddSeconds(-30));
        var failed = Attempt(false, now.AddSeconds(-271));
        failed.RecordPost(CallResult.Error, 40, null, null, "HTTP 500", now.AddSeconds(-270));
        // Resumed after a restart: created long ago, ended in the window.
        var resumed = Attempt(false, now.AddMinutes(-25));
        resumed.RecordPost(CallResult.Accepted, 60, "R2", null, null, now.AddSeconds(-330));
        var old = Attempt(true, now.AddMinutes(-20));
        old.RecordPrecheck(CallResult.Error, 10, null, "old", now.AddMinutes(-20));
        var inFlight = Attempt(true, now.AddSeconds(-5));
        await using (var db = host.CreateDbContext())
        {
            db.DeliveryAttempts.AddRange(accepted, refused, timedOut, failed, resumed, old, inFlight);
            await db.SaveChangesAsync();
        }

        var view = Assert.Single(await WithAsync(d => d.HealthAsync(Manager, "T-HLT")));

        Assert.Equal(TimeSpan.FromMinutes(15), view.Window);
        Assert.True(view.IsPush);
        Assert.Equal(new LenderHealth(Attempts: 5, Prechecks: 3, PrechecksAccepted: 1, Posts: 3, PostsAccepted: 2, Timeouts: 1, Errors: 1,
            P50LatencyMs: 60, P95LatencyMs: 800), view.Health);
        Assert.Equal(15, view.Latency.Count);
        Assert.Equal(5, view.Latency.Sum(m => m.Attempts));
        Assert.Equal((1, 800, 800), (view.Latency[^1].Attempts, view.Latency[^1].P50Ms, view.Latency[^1].P95Ms));
        Assert.Equal((1, 300), (view.Latency[^3].Attempts, view.Latency[^3].P95Ms));
        Assert.Contains(view.Latency, m => m.Attempts == 0 && m.P50Ms is null);
        Assert.True(view.Latency.Zip(view.Latency.Skip(1)).All(p => p.Second.EndsAt - p.First.EndsAt == TimeSpan.FromMinutes(1)));

        var all = await WithAsync(d => d.HealthAsync(Manager));
        Assert.Contains(all, h => h.LenderCode == "T-HLT" && h.Health.Attempts == 5);
        Assert.DoesNotContain(all, h => h.LenderCode == "L1"); // a pull lender of the seed
    }
}
