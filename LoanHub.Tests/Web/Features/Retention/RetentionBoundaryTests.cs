using LoanHub.Core.Domain;
using LoanHub.Web.Features.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Retention;

/// <summary>Where the retention period ends, as the application is configured out of the box. National IDs 750,800–750,899.</summary>
public class RetentionBoundaryTests
{
    [Fact]
    public async Task Personal_data_is_kept_364_days_and_erased_by_day_366()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 4, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var created = await ReadAsync(await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(750_800))));
        var id = new ApplicationId(Guid.Parse((string)created["applicationId"]!));
        var retention = host.Services.GetRequiredService<PersonalDataRetention>();

        clock.Advance(TimeSpan.FromDays(364));
        await retention.RunOnceAsync();
        Assert.Null(await ErasedAtAsync());

        clock.Advance(TimeSpan.FromDays(2));
        await retention.RunOnceAsync();
        Assert.Equal(clock.GetUtcNow(), await ErasedAtAsync());

        async Task<DateTimeOffset?> ErasedAtAsync()
        {
            await using var db = host.CreateDbContext();
            return await db.Applications.AsNoTracking().Where(a => a.Id == id).Select(a => a.PersonalDataErasedAt).SingleAsync();
        }
    }

    [Fact]
    public async Task A_year_to_the_tick_is_still_kept_and_the_tick_after_it_is_not()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 4, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        (await PostAsync(client, ValidBody(nationalId: NationalId(750_810)))).EnsureSuccessStatusCode();
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++) (await PostAsync(client, ValidBody(nationalId: NationalId(750_811 + i), deviceId: device))).EnsureSuccessStatusCode();
        var retention = host.Services.GetRequiredService<PersonalDataRetention>();
        var (waiting, _) = await StateAsync();
        Assert.True(waiting > 0);

        clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(0, await retention.RunOnceAsync());
        Assert.Equal((waiting, 0), await StateAsync());

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(4, await retention.RunOnceAsync());
        Assert.Equal((0, 4), await StateAsync());

        // Cases still waiting for a reviewer, and applications erased.
        async Task<(int Waiting, int Erased)> StateAsync()
        {
            await using var db = host.CreateDbContext();
            return (await db.ReviewCases.CountAsync(r => r.Status == ReviewStatus.Open),
                await db.Applications.CountAsync(a => a.PersonalDataErasedAt != null));
        }
    }

    [Fact]
    public void Retention_is_a_year_when_the_configuration_does_not_say()
    {
        Assert.Equal(365, new RetentionOptions().PersonalDataDays);
    }
}
