using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Blocklists;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Review;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Blocklists;

/// <summary>
/// Blocks made by a reviewer's rejection, matched by the running writer (no restart, no history reload), counted,
/// lifted by an admin and audited; over the real host and intake API. National IDs 830,000–830,999.
/// </summary>
public sealed class BlocklistTests : IDisposable
{
    private static readonly ClaimsPrincipal Reviewer = TestUsers.Principal("rita@block.test", Roles.ComplianceReviewer);
    private static readonly ClaimsPrincipal Admin = TestUsers.Principal("ada@block.test", Roles.Admin);

    private readonly LoanHubHost host;
    private readonly HttpClient client;

    public BlocklistTests() : this(new LoanHubHost()) { }

    private BlocklistTests(LoanHubHost host)
    {
        this.host = host;
        client = host.CreateClient();
    }

    public void Dispose() => host.Dispose();

    private T Service<T>() where T : notnull => host.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private string Hash(string value) => host.Services.GetRequiredService<PersonalData>().LookupHash(value);

    private async Task<(string Status, ApplicationId Id)> ApplyAsync(int person, string? device = null, string? phone = null)
    {
        var answer = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(person), deviceId: device, phone: phone)));
        return ((string)answer["status"]!, new ApplicationId(Guid.Parse((string)answer["applicationId"]!)));
    }

    private async Task<IReadOnlyList<string>> SignalsOfAsync(ApplicationId id)
    {
        await using var db = host.CreateDbContext();
        return await db.Assessments.Where(a => a.ApplicationId == id).Select(a => a.Signals).SingleAsync();
    }

    /// <summary>Four identities on one device: the last two wait in review as one ring.</summary>
    private async Task<List<Guid>> RingCasesAsync(int firstPerson, string device)
    {
        for (var i = 0; i < 4; i++) await ApplyAsync(firstPerson + i, device);
        await using var db = host.CreateDbContext();
        var ids = await db.Applications.Where(a => a.DeviceHash == Hash(device)).Select(a => a.Id).ToListAsync();
        return await db.ReviewCases.Where(r => ids.Contains(r.ApplicationId)).OrderBy(r => r.OpenedAt).Select(r => r.Id).ToListAsync();
    }

    private async Task<List<BlocklistEntry>> EntriesAsync()
    {
        await using var db = host.CreateDbContext();
        return await db.Blocklist.AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync();
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = host.CreateDbContext();
        return await db.Audit.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task Rejecting_a_ring_with_a_block_rejects_the_next_applicant_on_its_device_and_counts_the_stop()
    {
        var device = $"ring-{Guid.NewGuid():N}";
        var cases = await RingCasesAsync(830_000, device);
        Assert.Equal(2, cases.Count);
        var loads = host.Services.GetRequiredService<EngineHost>().StateLoads;

        var decided = await Service<ReviewService>().DecideAsync(Reviewer, cases[0], approve: false, "Synthetic identities on one phone farm device", wholeRing: true,
            new BlockRequest([LinkKind.Device], days: 30));
        Assert.True(decided.Succeeded, decided.Message);
        Assert.Equal(2, decided.Cases.Count);

        // Both rejected applicants share the device: one entry, audited without the key.
        var entry = Assert.Single(await EntriesAsync());
        Assert.Equal((LinkKind.Device, Hash(device), "rita@block.test"), (entry.Kind, entry.KeyHash, entry.CreatedBy));
        Assert.Equal("Rejected in review: Synthetic identities on one phone farm device", entry.Reason);
        Assert.Equal(entry.CreatedAt.AddDays(30), entry.Until);
        var blocked = Assert.Single(await AuditAsync("Key blocked"));
        Assert.Equal(("Blocklist", entry.Id.ToString()), (blocked.Area, blocked.EntityId));
        Assert.DoesNotContain(entry.KeyHash, blocked.After!, StringComparison.Ordinal);

        var stopped = await ApplyAsync(830_010, device);
        var elsewhere = await ApplyAsync(830_011);

        Assert.Equal("Rejected", stopped.Status);
        Assert.Contains(FraudSignal.Blocklisted, await SignalsOfAsync(stopped.Id));
        Assert.Equal("Routed", elsewhere.Status);
        Assert.DoesNotContain(FraudSignal.Blocklisted, await SignalsOfAsync(elsewhere.Id));
        Assert.Equal(1, Assert.Single(await EntriesAsync()).Stopped);
        Assert.Equal(loads, host.Services.GetRequiredService<EngineHost>().StateLoads);
    }

    [Fact]
    public async Task A_lifted_block_stops_matching_from_the_next_application_and_the_lift_is_audited_with_its_stops()
    {
        var phone = "13712345678";
        await ApplyAsync(830_100, phone: phone);
        var held = await ApplyAsync(830_101, phone: phone);
        Assert.Equal("InReview", held.Status);
        Guid caseId;
        await using (var db = host.CreateDbContext()) caseId = await db.ReviewCases.Where(r => r.ApplicationId == held.Id).Select(r => r.Id).SingleAsync();
        var reviews = Service<ReviewService>();
        Assert.True((await reviews.ClaimAsync(Reviewer, caseId, 0)).Succeeded);
        Assert.True((await reviews.DecideAsync(Reviewer, caseId, approve: false, "Borrowed phone", wholeRing: false,
            new BlockRequest([LinkKind.Phone, LinkKind.NationalId], BlocklistEntry.DefaultDays))).Succeeded);
        Assert.Equal([LinkKind.NationalId, LinkKind.Phone], (await EntriesAsync()).Select(e => e.Kind).Order());
        Assert.Equal("Rejected", (await ApplyAsync(830_102, phone: phone)).Status);

        var blocklist = Service<BlocklistService>();
        var phoneEntry = (await blocklist.ListAsync(Admin)).Rows.Single(r => r.Kind == LinkKind.Phone);
        Assert.Equal((1, BlockState.Active), (phoneEntry.Stopped, phoneEntry.State));
        var refused = await blocklist.LiftAsync(Admin, phoneEntry.Id, phoneEntry.Version, "  ");
        Assert.False(refused.Succeeded);
        Assert.Equal("Write why the block is lifted.", refused.Message);
        Assert.Null((await EntriesAsync()).Single(e => e.Kind == LinkKind.Phone).LiftedAt);

        var lifted = await blocklist.LiftAsync(Admin, phoneEntry.Id, phoneEntry.Version, "Family phone, verified by call");
        Assert.True(lifted.Succeeded, lifted.Message);

        var after = await ApplyAsync(830_103, phone: phone);
        Assert.DoesNotContain(FraudSignal.Blocklisted, await SignalsOfAsync(after.Id));
        var audit = Assert.Single(await AuditAsync("Block lifted"));
        Assert.Equal("ada@block.test", audit.Actor);
        Assert.Contains("\"stopped\": 1", audit.After!, StringComparison.Ordinal);
        Assert.Contains("Family phone, verified by call", audit.After!, StringComparison.Ordinal);
        var listed = (await blocklist.ListAsync(Admin)).Rows.Single(r => r.Id == phoneEntry.Id);
        Assert.Equal((BlockState.Lifted, "ada@block.test"), (listed.State, listed.LiftedBy));
    }

    [Fact]
    public async Task An_expired_block_no_longer_matches_while_an_active_one_does()
    {
        var (expired, active) = ($"old-{Guid.NewGuid():N}", $"new-{Guid.NewGuid():N}");
        var now = DateTimeOffset.UtcNow;
        await using (var db = host.CreateDbContext())
        {
            db.Blocklist.Add(new BlocklistEntry(LinkKind.Device, Hash(expired), "Old ring", "rita@block.test", now.AddDays(-3), days: 2, null));
            db.Blocklist.Add(new BlocklistEntry(LinkKind.Device, Hash(active), "New ring", "rita@block.test", now.AddDays(-3), days: 4, null));
            await db.SaveChangesAsync();
        }
        host.Services.GetRequiredService<ActiveBlocklist>().Changed();

        Assert.Equal("Routed", (await ApplyAsync(830_200, expired)).Status);
        Assert.Equal("Rejected", (await ApplyAsync(830_201, active)).Status);
        var view = await Service<BlocklistService>().ListAsync(Admin);
        Assert.Equal(1, view.Active);
        Assert.Equal(BlockState.Expired, view.Rows.Single(r => r.Reason == "Old ring").State);
    }

    [Fact]
    public async Task With_the_review_switch_a_blocklisted_applicant_is_held_for_review_instead()
    {
        using var reviewing = new BlocklistTests(new LoanHubHost { Settings = { ["LoanHub:Fraud:BlocklistedToReview"] = "true" } });
        var device = $"switch-{Guid.NewGuid():N}";
        await using (var db = reviewing.host.CreateDbContext())
        {
            db.Blocklist.Add(new BlocklistEntry(LinkKind.Device, reviewing.Hash(device), "Ring", "rita@block.test", DateTimeOffset.UtcNow, days: 10, null));
            await db.SaveChangesAsync();
        }
        reviewing.host.Services.GetRequiredService<ActiveBlocklist>().Changed();

        var held = await reviewing.ApplyAsync(830_300, device);

        Assert.Equal("InReview", held.Status);
        await using var read = reviewing.host.CreateDbContext();
        Assert.Contains(FraudSignal.Blocklisted, await read.ReviewCases.Where(r => r.ApplicationId == held.Id).Select(r => r.Reasons).SingleAsync());
    }

    [Fact]
    public async Task Only_admins_see_and_lift_the_blocklist()
    {
        var blocklist = Service<BlocklistService>();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => blocklist.ListAsync(Reviewer));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => blocklist.LiftAsync(TestUsers.Principal("ops@block.test", Roles.OperationsManager), Guid.NewGuid(), 0, "x"));
        Assert.Empty((await blocklist.ListAsync(Admin)).Rows);
    }
}
