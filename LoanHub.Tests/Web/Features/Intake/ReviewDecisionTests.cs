using LoanHub.Core.Domain;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Intake;

public class ReviewDecisionTests
{
    private static async Task<(LoanHubHost Host, List<Guid> Cases)> RingInReviewAsync()
    {
        var host = new LoanHubHost();
        var client = host.CreateClient();
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < 4; i++) await PostAsync(client, ValidBody(nationalId: NationalId(820_000 + i), deviceId: device));
        await using var db = host.CreateDbContext();
        return (host, await db.ReviewCases.OrderBy(r => r.OpenedAt).Select(r => r.Id).ToListAsync());
    }

    [Fact]
    public async Task Approved_case_is_routed_now_by_the_active_policy()
    {
        var (host, cases) = await RingInReviewAsync();
        using var _ = host;
        var engine = host.Services.GetRequiredService<EngineHost>();

        var outcome = Assert.Single(await engine.DecideReviewsAsync([cases[0]], approve: true, "reviewer@test.local", "Verified by phone", CancellationToken.None));

        Assert.Equal(ApplicationStatus.Routed, outcome.Status);
        Assert.NotNull(outcome.RoutedTo);
        await using var db = host.CreateDbContext();
        Assert.True(await db.Allocations.AnyAsync(a => a.ApplicationId == outcome.ApplicationId));
        var review = await db.ReviewCases.SingleAsync(r => r.Id == cases[0]);
        Assert.Equal(ReviewStatus.Approved, review.Status);
        Assert.Equal("Verified by phone", review.Note);
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "Review approved" && a.Actor == "reviewer@test.local"));
    }

    [Fact]
    public async Task Ring_is_rejected_as_a_whole()
    {
        var (host, cases) = await RingInReviewAsync();
        using var _ = host;
        Assert.True(cases.Count >= 2);

        var outcomes = await host.Services.GetRequiredService<EngineHost>()
            .DecideReviewsAsync(cases, approve: false, "reviewer@test.local", "Synthetic identities", CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal(ApplicationStatus.Rejected, o.Status));
        await using var db = host.CreateDbContext();
        Assert.All(await db.ReviewCases.ToListAsync(), r => Assert.Equal(ReviewStatus.Rejected, r.Status));
    }

    [Fact]
    public async Task Concurrent_decisions_on_one_case_decide_it_once()
    {
        var (host, cases) = await RingInReviewAsync();
        using var _ = host;
        var engine = host.Services.GetRequiredService<EngineHost>();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await engine.DecideReviewsAsync([cases[0]], approve: i % 2 == 0, $"reviewer{i}@test.local", "note", CancellationToken.None);
                return true;
            }
            catch (DomainException)
            {
                return false;
            }
        }));

        Assert.Single(attempts, succeeded => succeeded);
        await using var db = host.CreateDbContext();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.EntityId == cases[0].ToString()));
        Assert.True(await db.Allocations.CountAsync() <= 3); // two routed before the ring formed, at most one more
    }
}
