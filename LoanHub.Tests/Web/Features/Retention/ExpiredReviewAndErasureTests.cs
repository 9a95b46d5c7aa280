using LoanHub.Core.Domain;
using LoanHub.Web.Features.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Retention;

/// <summary>Retention of applications nobody decided, and of rows the store can no longer decrypt. National IDs 760,100–760,299.</summary>
public class ExpiredReviewAndErasureTests
{
    [Fact]
    public async Task Review_case_left_undecided_past_retention_is_closed_as_expired_by_the_system_and_then_erased()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        await PostRingAsync(client, 760_100);
        await using (var db = host.CreateDbContext())
        {
            var waiting = await db.ReviewCases.Where(r => r.Status == ReviewStatus.Open).ToListAsync();
            Assert.NotEmpty(waiting);
            var claimed = await db.ReviewCases.FirstAsync(r => r.Status == ReviewStatus.Open);
            claimed.Claim("reviewer@test.local", clock.GetUtcNow()); // a claim does not keep a case for ever
            await db.SaveChangesAsync();
        }

        clock.Advance(TimeSpan.FromDays(366));
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();

        await using var after = host.CreateDbContext();
        var cases = await after.ReviewCases.AsNoTracking().ToListAsync();
        Assert.All(cases, r => Assert.Equal((ReviewStatus.Rejected, PersonalDataRetention.Actor, PersonalDataRetention.ExpiredNote),
            (r.Status, r.DecidedBy, r.Note)));
        var applications = await after.Applications.AsNoTracking().Where(a => cases.Select(c => c.ApplicationId).Contains(a.Id)).ToListAsync();
        Assert.All(applications, a => Assert.Equal(ApplicationStatus.Rejected, a.Status));
        Assert.All(applications, a => Assert.NotNull(a.PersonalDataErasedAt));
        var audit = await after.Audit.Where(a => a.Action == "Review expired").ToListAsync();
        Assert.Equal(cases.Count, audit.Count);
        Assert.All(audit, a => Assert.Equal(("system", "Review"), (a.Actor, a.Area)));
        // The daily counters follow the status: nothing counted as waiting any more.
        Assert.Equal(0, await after.DailyApplicationCounts.Where(c => c.Status == ApplicationStatus.InReview).SumAsync(c => c.Applicants));
    }

    [Fact]
    public async Task An_application_that_no_longer_decrypts_does_not_hold_back_the_erasure()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        for (var i = 0; i < 3; i++) (await PostAsync(client, ValidBody(nationalId: NationalId(760_200 + i)))).EnsureSuccessStatusCode();
        await using (var db = host.CreateDbContext())
        {
            // A ciphertext from a lost key, or a damaged one: reading this row throws.
            var broken = await db.Database.ExecuteSqlRawAsync(
                """UPDATE "Applications" SET "FullName" = 'CfDJ8-not-a-ciphertext-any-more' WHERE "Id" = (SELECT "Id" FROM "Applications" ORDER BY "Id" LIMIT 1)""");
            Assert.Equal(1, broken);
            await Assert.ThrowsAnyAsync<Exception>(() => db.Applications.AsNoTracking().ToListAsync());
        }

        clock.Advance(TimeSpan.FromDays(366));
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();

        await using var after = host.CreateDbContext();
        var all = await after.Applications.AsNoTracking().ToListAsync(); // readable again: nothing left to decrypt
        Assert.Equal(3, all.Count);
        Assert.All(all, a => Assert.Equal(("", ""), (a.Applicant.FullName, a.Applicant.NationalId)));
    }

    [Fact]
    public async Task Case_still_within_retention_stays_open_for_its_reviewer()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        await PostRingAsync(client, 760_110);
        clock.Advance(TimeSpan.FromDays(200));
        await PostRingAsync(client, 760_120);
        var youngSince = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromDays(166)); // the first ring is 366 days old, the second 166
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();

        await using var db = host.CreateDbContext();
        var cases = await db.ReviewCases.AsNoTracking()
            .Join(db.Applications.AsNoTracking(), r => r.ApplicationId, a => a.Id, (r, a) => new { r.Status, Application = a.Status, a.ReceivedAt, a.PersonalDataErasedAt })
            .ToListAsync();
        var young = cases.Where(c => c.ReceivedAt >= youngSince).ToList();
        Assert.NotEmpty(young);
        Assert.All(young, c => Assert.Equal((ReviewStatus.Open, ApplicationStatus.InReview, (DateTimeOffset?)null), (c.Status, c.Application, c.PersonalDataErasedAt)));
        Assert.All(cases.Except(young), c => Assert.Equal(ReviewStatus.Rejected, c.Status));
    }

    [Fact]
    public async Task Waiting_case_that_no_longer_decrypts_is_left_for_the_next_run_and_the_rest_is_still_erased()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        await PostRingAsync(client, 760_130);
        (await PostAsync(client, ValidBody(nationalId: NationalId(760_135)))).EnsureSuccessStatusCode();
        await using (var db = host.CreateDbContext())
        {
            var broken = await db.Database.ExecuteSqlRawAsync(
                """UPDATE "Applications" SET "FullName" = 'CfDJ8-not-a-ciphertext-any-more' WHERE "Status" = 'InReview'""");
            Assert.True(broken > 0);
        }

        clock.Advance(TimeSpan.FromDays(366));
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();

        await using var after = host.CreateDbContext();
        var cases = await after.ReviewCases.AsNoTracking().ToListAsync();
        Assert.All(cases, r => Assert.Equal(ReviewStatus.Open, r.Status));
        var kept = await after.Applications.AsNoTracking().Where(a => a.PersonalDataErasedAt == null).Select(a => a.Id).ToListAsync();
        Assert.Equal(cases.Select(r => r.ApplicationId).Order(), kept.Order()); // all but the waiting ones, the decided applicant too
    }

    [Fact]
    public async Task Cases_met_before_one_that_no_longer_decrypts_are_closed_all_the_same()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        await PostRingAsync(client, 760_140, members: 5);
        await using (var db = host.CreateDbContext())
        {
            // The case the run comes to last (the order of its own query), so that every other one is closed before it fails.
            var waiting = await db.Applications.AsNoTracking().Where(a => a.Status == ApplicationStatus.InReview)
                .Join(db.ReviewCases.AsNoTracking().Where(r => r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed),
                    a => a.Id, r => r.ApplicationId, (a, r) => a.ExternalRef)
                .ToListAsync();
            Assert.True(waiting.Count > 1);
            await db.Database.ExecuteSqlAsync(
                $"""UPDATE "Applications" SET "FullName" = 'CfDJ8-not-a-ciphertext-any-more' WHERE "ExternalRef" = {waiting[^1]}""");
        }

        clock.Advance(TimeSpan.FromDays(366));
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();

        await using var after = host.CreateDbContext();
        var cases = await after.ReviewCases.AsNoTracking().Select(r => r.Status).ToListAsync();
        Assert.Equal(cases.Count - 1, cases.Count(s => s == ReviewStatus.Rejected));
    }

    /// <summary>Applicants on one device, so that the fraud rules send them to a reviewer.</summary>
    private static async Task PostRingAsync(HttpClient client, int firstPerson, int members = 3)
    {
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < members; i++)
            (await PostAsync(client, ValidBody(nationalId: NationalId(firstPerson + i), deviceId: device))).EnsureSuccessStatusCode();
    }
}
