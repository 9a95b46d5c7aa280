using System.Net;
using System.Security.Claims;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Features.Sources;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Sources;

/// <summary>
/// Traffic sources over the real application: what the console does to a source is what the intake API then
/// accepts or refuses with the source's key. Each test works on sources of its own; national IDs 530,000–539,999.
/// </summary>
public sealed class SourceServiceTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private static readonly ClaimsPrincipal Manager = TestUsers.Principal("ops@test.local", Roles.OperationsManager);
    private static readonly ClaimsPrincipal Analyst = TestUsers.Principal("analyst@test.local", Roles.Analyst);
    private static int people = 530_000;

    private async Task<T> WithServiceAsync<T>(Func<SourceService, Task<T>> use)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<SourceService>());
    }

    private async Task<SourceRow> SourceAsync(string code) =>
        (await WithServiceAsync(s => s.ListAsync())).Single(s => s.Code == code);

    private async Task<string> NewSourceAsync(string code)
    {
        var created = await WithServiceAsync(s => s.CreateAsync(Manager, code, $"Source {code}"));
        Assert.True(created.Succeeded, created.Message);
        return created.ApiKey!;
    }

    private async Task<HttpStatusCode> PostWithAsync(string apiKey) =>
        (await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(Interlocked.Increment(ref people))), apiKey)).StatusCode;

    [Fact]
    public async Task New_source_posts_with_the_key_shown_once_which_is_stored_only_as_its_hash()
    {
        var key = await NewSourceAsync("S-NEW");

        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(key));
        await using var db = host.CreateDbContext();
        var source = await db.Sources.SingleAsync(s => s.Code == "S-NEW");
        Assert.Equal(ApiKeys.Hash(key), source.ApiKeyHash);
        var audit = await db.Audit.SingleAsync(a => a.EntityId == "S-NEW" && a.Action == "Source created");
        Assert.Equal(("ops@test.local", "Lenders"), (audit.Actor, audit.Area));
        Assert.DoesNotContain(key, audit.After);
        Assert.Equal(CatalogStatus.Invalid, (await WithServiceAsync(s => s.CreateAsync(Manager, "s-new", "Again"))).Status);
        Assert.Equal(CatalogStatus.Invalid, (await WithServiceAsync(s => s.CreateAsync(Manager, "bad code!", "Name"))).Status);
    }

    [Fact]
    public async Task Rotating_the_key_refuses_the_old_one_at_once_and_accepts_the_new_one()
    {
        var old = await NewSourceAsync("S-ROT");
        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(old)); // the intake API now holds the key in its cache
        var id = (await SourceAsync("S-ROT")).Id;
        var rotated = await WithServiceAsync(s => s.RotateApiKeyAsync(Manager, id));

        Assert.True(rotated.Succeeded, rotated.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWithAsync(old));
        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(rotated.ApiKey!));
        await using var db = host.CreateDbContext();
        Assert.True(await db.Audit.AnyAsync(a => a.EntityId == "S-ROT" && a.Action == "Source API key rotated"));
    }

    [Fact]
    public async Task Paused_source_is_refused_at_intake_until_resumed_and_the_list_counts_its_applicants()
    {
        var key = await NewSourceAsync("S-PAUSE");
        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(key));
        var id = (await SourceAsync("S-PAUSE")).Id;

        Assert.True((await WithServiceAsync(s => s.SetActiveAsync(Manager, id, active: false))).Succeeded);
        Assert.False((await SourceAsync("S-PAUSE")).IsActive);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWithAsync(key));

        Assert.True((await WithServiceAsync(s => s.SetActiveAsync(Manager, id, active: true))).Succeeded);
        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(key));
        var row = await SourceAsync("S-PAUSE");
        Assert.Equal((2, 2), (row.ApplicantsToday, row.Applicants30Days));
        Assert.Equal(row.Routed30Days, (int)Math.Round(row.RoutedShare * 2));
        await using var db = host.CreateDbContext();
        var actions = await db.Audit.Where(a => a.EntityId == "S-PAUSE" && a.Action != "Source created").Select(a => a.Action).ToListAsync();
        Assert.Equal(["Source paused", "Source resumed"], actions.Order());
    }

    [Fact]
    public async Task Rename_saved_from_a_stale_copy_is_a_conflict_and_changes_nothing()
    {
        await NewSourceAsync("S-NAME");
        var seen = await SourceAsync("S-NAME");

        Assert.True((await WithServiceAsync(s => s.RenameAsync(Manager, seen.Id, "Spring campaign", seen.Version))).Succeeded);
        var stale = await WithServiceAsync(s => s.RenameAsync(Manager, seen.Id, "Summer campaign", seen.Version));

        Assert.Equal(CatalogStatus.Conflict, stale.Status);
        Assert.Equal("Spring campaign", (await SourceAsync("S-NAME")).Name);
        var current = await SourceAsync("S-NAME");
        var empty = await WithServiceAsync(s => s.RenameAsync(Manager, seen.Id, "  ", current.Version));
        Assert.Equal(CatalogStatus.Invalid, empty.Status);
    }

    [Fact]
    public async Task Analyst_reads_sources_but_every_change_is_refused_by_the_server()
    {
        var key = await NewSourceAsync("S-READ");
        var id = (await SourceAsync("S-READ")).Id;

        Assert.False(await WithServiceAsync(s => s.CanEditAsync(Analyst)));
        Assert.Equal(CatalogStatus.Forbidden, (await WithServiceAsync(s => s.CreateAsync(Analyst, "S-ANALYST", "No"))).Status);
        Assert.Equal(CatalogStatus.Forbidden, (await WithServiceAsync(s => s.RotateApiKeyAsync(Analyst, id))).Status);
        Assert.Equal(CatalogStatus.Forbidden, (await WithServiceAsync(s => s.SetActiveAsync(Analyst, id, false))).Status);
        Assert.Equal(CatalogStatus.Forbidden, (await WithServiceAsync(s => s.RenameAsync(Analyst, id, "No", 0))).Status);
        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(key));
        await using var db = host.CreateDbContext();
        Assert.False(await db.Sources.AnyAsync(s => s.Code == "S-ANALYST"));
    }
}
