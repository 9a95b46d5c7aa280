using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Core.Identity;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Applications;

public class ApplicationsServiceTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    // Device IDs are encrypted at rest; the store finds them by their keyed hash.
    private string DeviceHash(string device) => host.Services.GetRequiredService<LoanHub.Web.Security.PersonalData>().LookupHash(device);

    // National IDs 300_000…349_999 belong to these tests; each test takes its own block so rings never cross.
    private static string Phone(int n) => $"1393{n % 10_000_000:D7}";

    private ApplicationsService Service => host.Services.CreateScope().ServiceProvider.GetRequiredService<ApplicationsService>();

    internal static ClaimsPrincipal User(string email, string role) => TestUsers.Principal(email, role);

    private static readonly ClaimsPrincipal Searcher = User("analyst@test.local", Roles.Analyst);

    private async Task<ApplicationId> PostAsync(int n, string? deviceId = null, string apiKey = AdsKey)
    {
        var response = await Intake.IntakeClient.PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(n), phone: Phone(n), deviceId: deviceId), apiKey);
        response.EnsureSuccessStatusCode();
        var body = await ReadAsync(response);
        return new ApplicationId(Guid.Parse((string)body["applicationId"]!));
    }

    [Fact]
    public async Task Search_by_national_id_finds_only_that_applicant_with_personal_data_masked()
    {
        var id = await PostAsync(300_001);
        await PostAsync(300_002);

        var page = await Service.SearchAsync(new ApplicationFilter { IdOrPhone = NationalId(300_001) }, 0, 25, Searcher);

        var row = Assert.Single(page.Rows);
        Assert.Equal(id, row.Id);
        Assert.Equal(1, page.Total);
        Assert.False(page.TotalIsCapped);
        Assert.Equal("王*", row.MaskedName);
        Assert.Equal(ResidentId.Mask(NationalId(300_001)), row.MaskedNationalId);
        Assert.Matches(@"^\d{6}\*{8}\d{3}[\dX]$", row.MaskedNationalId);
        Assert.Equal($"139****{Phone(300_001)[7..]}", row.MaskedPhone);
        Assert.Equal(ApplicationStatus.Routed, row.Status);
        Assert.NotNull(row.LenderCode);
        Assert.NotNull(row.Score);
    }

    [Fact]
    public async Task Search_by_phone_matches_the_exact_number_only()
    {
        var id = await PostAsync(300_101);

        var found = await Service.SearchAsync(new ApplicationFilter { IdOrPhone = Phone(300_101) }, 0, 25, Searcher);
        var other = await Service.SearchAsync(new ApplicationFilter { IdOrPhone = Phone(300_102) }, 0, 25, Searcher);

        Assert.Equal(id, Assert.Single(found.Rows).Id);
        Assert.Empty(other.Rows);
        await Assert.ThrowsAsync<DomainException>(() => Service.SearchAsync(new ApplicationFilter { IdOrPhone = "1393" }, 0, 25, Searcher));
    }

    [Fact]
    public async Task Pages_are_newest_first_and_do_not_overlap()
    {
        var posted = new List<ApplicationId>();
        for (var i = 0; i < 7; i++) posted.Add(await PostAsync(300_201 + i, apiKey: AppKey));
        await using var db = host.CreateDbContext();
        var app = await db.Sources.SingleAsync(s => s.Code == "APP");
        var filter = new ApplicationFilter { Source = app.Id };

        var first = await Service.SearchAsync(filter, 0, 3, Searcher);
        var second = await Service.SearchAsync(filter, 1, 3, Searcher);
        var third = await Service.SearchAsync(filter, 2, 3, Searcher);

        Assert.Equal(7, first.Total);
        Assert.Equal([3, 3, 1], new[] { first.Rows.Count, second.Rows.Count, third.Rows.Count });
        var all = first.Rows.Concat(second.Rows).Concat(third.Rows).ToList();
        Assert.Equal(posted.AsEnumerable().Reverse(), all.Select(r => r.Id));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.ReceivedAt >= p.Second.ReceivedAt));
        Assert.All(all, r => Assert.Equal("APP", r.SourceCode));
    }

    [Fact]
    public async Task Status_tier_lender_and_date_filters_narrow_the_list()
    {
        var device = $"ring-{Guid.NewGuid():N}";
        var ring = new List<ApplicationId>();
        for (var i = 0; i < 4; i++) ring.Add(await PostAsync(300_301 + i, deviceId: device));
        var routed = await PostAsync(300_311);
        await using var db = host.CreateDbContext();
        var inReview = await db.Applications.Where(a => ring.Contains(a.Id) && a.Status == ApplicationStatus.InReview).Select(a => a.Id).ToListAsync();
        Assert.NotEmpty(inReview);
        var allocation = await db.Allocations.SingleAsync(a => a.ApplicationId == routed);
        var otherLender = await db.Lenders.Where(l => l.Id != allocation.LenderId).Select(l => l.Id).FirstAsync();
        var tier = (await db.Assessments.SingleAsync(a => a.ApplicationId == routed)).Tier;
        var today = BusinessDay.Of(DateTimeOffset.UtcNow);

        var reviewRows = await Service.SearchAsync(new ApplicationFilter { Status = ApplicationStatus.InReview }, 0, 100, Searcher);
        Assert.Subset(reviewRows.Rows.Select(r => r.Id).ToHashSet(), inReview.ToHashSet());
        Assert.All(reviewRows.Rows, r => Assert.Equal(ApplicationStatus.InReview, r.Status));

        var byLender = await Service.SearchAsync(new ApplicationFilter { Lender = allocation.LenderId, IdOrPhone = NationalId(300_311) }, 0, 25, Searcher);
        Assert.Equal(routed, Assert.Single(byLender.Rows).Id);
        Assert.Empty((await Service.SearchAsync(new ApplicationFilter { Lender = otherLender, IdOrPhone = NationalId(300_311) }, 0, 25, Searcher)).Rows);

        Assert.Single((await Service.SearchAsync(new ApplicationFilter { Tier = tier, IdOrPhone = NationalId(300_311) }, 0, 25, Searcher)).Rows);
        var otherTier = tier == RiskTier.A ? RiskTier.E : RiskTier.A;
        Assert.Empty((await Service.SearchAsync(new ApplicationFilter { Tier = otherTier, IdOrPhone = NationalId(300_311) }, 0, 25, Searcher)).Rows);

        Assert.Single((await Service.SearchAsync(new ApplicationFilter { From = today.AddDays(-1), To = today.AddDays(1), IdOrPhone = NationalId(300_311) }, 0, 25, Searcher)).Rows);
        Assert.Empty((await Service.SearchAsync(new ApplicationFilter { From = today.AddDays(1), IdOrPhone = NationalId(300_311) }, 0, 25, Searcher)).Rows);
        Assert.Empty((await Service.SearchAsync(new ApplicationFilter { To = today.AddDays(-1), IdOrPhone = NationalId(300_311) }, 0, 25, Searcher)).Rows);
    }

    [Fact]
    public async Task Detail_shows_the_timeline_and_decision_record_with_personal_data_masked()
    {
        var id = await PostAsync(300_401);

        var detail = await Service.GetAsync(id);

        Assert.NotNull(detail);
        Assert.Equal(ResidentId.Mask(NationalId(300_401)), detail.MaskedNationalId);
        Assert.DoesNotContain(NationalId(300_401), detail.ToString());
        Assert.NotNull(detail.Record);
        Assert.NotEmpty(detail.Record.ScoreBreakdown);
        Assert.NotEmpty(detail.Record.Products);
        Assert.NotNull(detail.Record.Allocation);
        Assert.NotNull(detail.Allocation);
        Assert.Equal(TimelineKind.Received, detail.Timeline[0].Kind);
        Assert.Contains(detail.Timeline, e => e.Kind == TimelineKind.Scored && e.Title.Contains(detail.Record.Score.ToString()));
        Assert.Contains(detail.Timeline, e => e.Kind == TimelineKind.Routed && e.Amount == detail.Allocation.ExpectedCommission);
        Assert.Equal("我同意查询征信并向合作机构提供申请信息。", detail.Consent.Text);
    }

    [Fact]
    public async Task Detail_of_a_reviewed_ring_member_shows_the_review_and_links_to_the_ring()
    {
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < 4; i++) await PostAsync(300_501 + i, deviceId: device);
        await using var db = host.CreateDbContext();
        var ids = await db.Applications.Where(a => a.DeviceHash == DeviceHash(device)).Select(a => a.Id).ToListAsync();
        var review = await db.ReviewCases.Where(r => ids.Contains(r.ApplicationId) && r.ClusterId != null).OrderBy(r => r.OpenedAt).FirstAsync();
        await host.Services.GetRequiredService<LoanHub.Web.Features.Intake.EngineHost>()
            .DecideReviewsAsync([review.Id], approve: false, "reviewer@test.local", "Synthetic identity", CancellationToken.None);

        var detail = (await Service.GetAsync(review.ApplicationId))!;

        Assert.Equal(ApplicationStatus.Rejected, detail.Status);
        Assert.Equal("reviewer@test.local", detail.Review!.DecidedBy);
        Assert.Contains(detail.Timeline, e => e.Kind == TimelineKind.Review && e.Title == "Review rejected by reviewer@test.local" && e.Detail == "Synthetic identity");
        Assert.NotNull(detail.Record!.Cluster);
        Assert.Contains(detail.Record.Cluster.Members, m => m.ApplicationId != review.ApplicationId && ids.Contains(m.ApplicationId));
    }

    [Fact]
    public async Task Unknown_application_is_not_found()
    {
        Assert.Null(await Service.GetAsync(ApplicationId.New()));
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.ComplianceReviewer)]
    public async Task Reveal_returns_the_full_value_and_is_written_to_the_audit_log(string role)
    {
        var n = role == Roles.Admin ? 300_601 : 300_602;
        var id = await PostAsync(n);
        var actor = $"{role.ToLowerInvariant()}@test.local";

        var nationalId = await Service.RevealAsync(id, PersonalField.NationalId, User(actor, role));
        var phone = await Service.RevealAsync(id, PersonalField.Phone, User(actor, role));

        Assert.Equal(NationalId(n), nationalId);
        Assert.Equal(Phone(n), phone);
        await using var db = host.CreateDbContext();
        var entries = await db.Audit.Where(a => a.EntityId == id.ToString()).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal("Applications", e.Area);
            Assert.Equal("Personal data revealed", e.Action);
            Assert.Equal("LoanApplication", e.EntityType);
            Assert.Equal(actor, e.Actor);
        });
        Assert.Contains("NationalId", entries[0].After);
        Assert.Contains("Phone", entries[1].After);
        Assert.DoesNotContain(NationalId(n), entries[0].After); // the log says what was revealed, never the value
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.OperationsManager)]
    public async Task Reveal_is_refused_on_the_server_for_roles_without_the_right(string role)
    {
        var id = await PostAsync(role == Roles.Analyst ? 300_701 : 300_702);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.RevealAsync(id, PersonalField.NationalId, User("someone@test.local", role)));

        await using var db = host.CreateDbContext();
        Assert.False(await db.Audit.AnyAsync(a => a.EntityId == id.ToString()));
    }
}
