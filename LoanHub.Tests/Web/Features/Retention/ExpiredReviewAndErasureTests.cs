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
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++) (await PostAsync(client, ValidBody(nationalId: NationalId(760_100 + i), deviceId: device))).EnsureSuccessStatusCode();
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
}
