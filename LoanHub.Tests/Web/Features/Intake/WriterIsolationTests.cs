using System.Net;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Lenders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Intake;

/// <summary>
/// The writer's guarantees when something goes wrong: one application that cannot be stored fails alone, a full
/// queue answers 503, and catalog changes swap the catalog without reading the history again.
/// National IDs 790,000–799,999.
/// </summary>
public class WriterIsolationTests
{
    [Fact]
    public async Task An_application_that_cannot_be_stored_fails_alone_and_the_rest_of_its_group_is_committed_without_a_reload()
    {
        await using var host = new LoanHubHost();
        using var client = host.CreateClient();
        var engine = host.Services.GetRequiredService<EngineHost>();
        var source = await SourceIdAsync(host, "ADS");
        // The state is loaded at start in the background: one application decided first means that load is behind us.
        Assert.Equal(ApplicationStatus.Routed, (await engine.SubmitAsync(Command(source, 790_500), CancellationToken.None)).Status);
        var loadsBefore = engine.StateLoads;

        // The validator refuses such a debt; here it reaches the writer directly, as a bug elsewhere might let it.
        var unstorable = Command(source, 790_000);
        unstorable = unstorable with { Intake = unstorable.Intake with { Applicant = unstorable.Intake.Applicant with { ExistingMonthlyDebt = decimal.MaxValue / 1000 } } };
        var good = Enumerable.Range(790_001, 30).Select(n => Command(source, n)).ToList();
        var all = good.Take(15).Append(unstorable).Concat(good.Skip(15)).Select(c => engine.SubmitAsync(c, CancellationToken.None)).ToList();

        var failed = await Assert.ThrowsAnyAsync<Exception>(() => all[15]);
        Assert.IsNotType<WriterBusyException>(failed);
        var outcomes = await Task.WhenAll(all.Where((_, i) => i != 15));
        Assert.All(outcomes, o => Assert.Equal(IntakeDisposition.Created, o.Disposition));
        Assert.All(outcomes, o => Assert.NotEqual(ApplicationStatus.Duplicate, o.Status));

        await using var db = host.CreateDbContext();
        var refs = good.Select(c => c.Intake.ExternalRef).ToList();
        Assert.Equal(30, await db.Applications.CountAsync(a => refs.Contains(a.ExternalRef)));
        Assert.False(await db.Applications.AnyAsync(a => a.ExternalRef == unstorable.Intake.ExternalRef));
        Assert.Equal(31, await db.Assessments.CountAsync());
        Assert.Equal(loadsBefore, engine.StateLoads);

        // What the failed attempt did in memory was taken back: the same person, stored properly, is no duplicate of it.
        var again = Command(source, 790_000);
        Assert.Equal(ApplicationStatus.Routed, (await engine.SubmitAsync(again, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_and_changes_nothing_while_what_was_queued_is_decided()
    {
        await using var host = new LoanHubHost();
        host.Settings["LoanHub:Intake:QueueLimit"] = "3";
        host.Settings["LoanHub:Intake:MaxBatch"] = "1";
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, ValidBody(nationalId: NationalId(791_000)))).StatusCode);

        // Another process holds the store's write lock: the writer waits on its first application and the rest queue.
        await using var blocker = await StoreWriteLock.TakeAsync(host.DatabasePath);
        var bodies = Enumerable.Range(791_001, 10).Select(n => ValidBody(nationalId: NationalId(n))).ToList();
        var sent = bodies.Select(b => PostAsync(client, b)).ToList();
        // Those refused answer at once; the lock is held until they have (well within the store's busy timeout).
        var pending = sent.ToList();
        var timeout = Task.Delay(TimeSpan.FromSeconds(15));
        for (var answered = 0; answered < 6 && pending.Count > 0;)
        {
            var next = await Task.WhenAny([.. pending, timeout]);
            if (next == timeout) break;
            pending.Remove((Task<HttpResponseMessage>)next);
            answered++;
        }
        await blocker.DisposeAsync();
        var answers = await Task.WhenAll(sent);

        // Three wait in the queue (and one more when the writer took it out before the rest arrived): the others are
        // refused at once.
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.InRange(busy.Count, 6, 7);
        Assert.All(busy, a => Assert.Equal(TimeSpan.FromSeconds(1), a.Headers.RetryAfter?.Delta));
        Assert.All(busy, a => Assert.Equal("application/problem+json", a.Content.Headers.ContentType?.MediaType));
        Assert.Equal(10 - busy.Count, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        await using var db = host.CreateDbContext();
        Assert.Equal(1 + 10 - busy.Count, await db.Applications.CountAsync());
    }

    [Fact]
    public async Task A_paused_lender_takes_no_more_leads_from_the_next_application_and_the_history_is_not_read_again()
    {
        await using var host = new LoanHubHost();
        using var client = host.CreateClient();
        var engine = host.Services.GetRequiredService<EngineHost>();
        var first = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(792_000))));
        Assert.Equal("Routed", (string?)first["status"]);
        var lender = (string)first["routedTo"]!["lenderCode"]!;
        var loads = engine.StateLoads;

        await using (var db = host.CreateDbContext())
        {
            var id = await db.Lenders.Where(l => l.Code == lender).Select(l => l.Id).SingleAsync();
            await using var scope = host.Services.CreateAsyncScope();
            var paused = await scope.ServiceProvider.GetRequiredService<LenderCatalogService>()
                .SetLenderActiveAsync(TestUsers.Principal("ops@test.local", LoanHub.Web.Security.Roles.OperationsManager), id, active: false);
            Assert.True(paused.Succeeded, paused.Message);
        }

        for (var n = 792_001; n <= 792_010; n++)
        {
            var body = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(n))));
            Assert.NotEqual(lender, (string?)body["routedTo"]?["lenderCode"]);
        }
        Assert.Equal(loads, engine.StateLoads);
        // The fraud history survived the swap: the first applicant again, within the lookback, is a duplicate.
        var duplicate = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(792_000))));
        Assert.Equal("Duplicate", (string?)duplicate["status"]);
    }

    private static IntakeCommand Command(SourceId source, int n)
    {
        var request = JsonSerializer.Deserialize<IntakeRequest>(ValidBody(nationalId: NationalId(n)).ToJsonString(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Empty(IntakeValidator.Validate(request, out var valid));
        return new IntakeCommand(source, valid!, request.ContentHash(), DateTimeOffset.UtcNow);
    }

    private static async Task<SourceId> SourceIdAsync(LoanHubHost host, string code)
    {
        await using var db = host.CreateDbContext();
        return await db.Sources.Where(s => s.Code == code).Select(s => s.Id).SingleAsync();
    }
}
