using LoanHub.Core.Domain;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Dashboard;
using LoanHub.Web.Features.Retention;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Retention;

/// <summary>PIPL retention over the real application on a controllable clock. National IDs 550,000–559,999.</summary>
public class PersonalDataRetentionTests
{
    [Fact]
    public async Task Decided_applications_past_retention_lose_what_identifies_the_applicant_and_nothing_else()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        var oldIds = new List<string>();
        for (var i = 0; i < 3; i++)
            oldIds.Add((string)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(550_000 + i)))))["applicationId"]!);
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++) await PostAsync(client, ValidBody(nationalId: NationalId(550_100 + i), deviceId: device));
        clock.Advance(TimeSpan.FromDays(366));
        var fresh = (string)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(550_200)))))["applicationId"]!;
        var dashboardBefore = await TotalsAsync(host);

        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();
        Assert.Equal(0, await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync()); // nothing left to do

        await using var db = host.CreateDbContext();
        var all = await db.Applications.AsNoTracking().ToListAsync();
        var erased = all.Where(a => a.PersonalDataErasedAt is not null).ToList();
        Assert.Equal(all.Count - 1, erased.Count); // all but the fresh one, the ring that waited for review included
        Assert.All(erased, a =>
        {
            Assert.Equal(clock.GetUtcNow(), a.PersonalDataErasedAt);
            Assert.Equal(("", "", "", "", ""), (a.Applicant.FullName, a.Applicant.NationalId, a.Applicant.Phone, a.Applicant.DeviceId, a.Applicant.IpAddress));
            Assert.Equal(("", "", "", "", ""), (a.IdentityHash, a.PhoneHash, a.DeviceHash, a.IpHash, a.RequestHash));
            Assert.Equal(LoanApplication.ErasedExternalRef(a.Id), a.ExternalRef);
            Assert.True(a.Applicant.RequestedAmount > 0 && a.Applicant.ProvinceCode.Length == 2 && a.Consent.Text.Length > 0);
        });
        var kept = all.Single(a => a.Id.Value == Guid.Parse(fresh));
        Assert.Null(kept.PersonalDataErasedAt);
        Assert.NotEqual("", kept.Applicant.NationalId);

        var audit = await db.Audit.SingleAsync(a => a.Action == "Personal data erased");
        Assert.Equal((PersonalDataRetention.Actor, "Applications", nameof(LoanApplication), $"received before {clock.GetUtcNow().AddDays(-365):yyyy-MM-dd}"),
            (audit.Actor, audit.Area, audit.EntityType, audit.EntityId));
        Assert.Matches($"\"applications\":\\s*{erased.Count}\\b", audit.After);
        Assert.Matches("\"batch\":\\s*1\\b", audit.After);
        Assert.Equal(dashboardBefore, await TotalsAsync(host)); // the counts of the past do not move

        await using var scope = host.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<ApplicationsService>();
        var admin = TestUsers.Principal(LoanHubHost.AdminEmail, Roles.Admin);
        var found = await applications.SearchAsync(new ApplicationFilter { IdOrPhone = NationalId(550_000) }, 0, 25, admin);
        Assert.Empty(found.Rows); // the look-up hash went with the ID
        var detail = (await applications.GetAsync(new ApplicationId(Guid.Parse(oldIds[0]))))!;
        Assert.Equal((PersonalDataMask.Erased, PersonalDataMask.Erased, PersonalDataMask.Erased, (int?)null),
            (detail.MaskedName, detail.MaskedNationalId, detail.MaskedPhone, detail.Age));
        Assert.NotNull(detail.Record);
        await Assert.ThrowsAsync<DomainException>(() => applications.RevealAsync(detail.Id, PersonalField.NationalId, admin));
    }

    [Fact]
    public async Task One_run_erases_every_due_application_however_many_batches_it_takes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        var due = PersonalDataRetention.BatchSize + 1;
        await Parallel.ForAsync(0, due, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => (await PostAsync(client, ValidBody(nationalId: NationalId(551_000 + i)))).EnsureSuccessStatusCode());

        clock.Advance(TimeSpan.FromDays(366));
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();

        await using var db = host.CreateDbContext();
        Assert.Equal(0, await db.Applications.CountAsync(a => a.PersonalDataErasedAt == null));
        var batches = await db.Audit.Where(a => a.Action == "Personal data erased").OrderBy(a => a.Id).Select(a => a.After!).ToListAsync();
        Assert.Collection(batches,
            first => Assert.Matches($"\"applications\":\\s*{PersonalDataRetention.BatchSize},\\s*\"batch\":\\s*1\\b", first),
            second => Assert.Matches("\"applications\":\\s*1,\\s*\"batch\":\\s*2\\b", second));
    }

    [SqliteFact("the write-ahead log is a file of SQLite's")]
    public async Task Erasure_leaves_nothing_of_the_old_values_in_the_write_ahead_log()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        (await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(552_000)))).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromDays(366));
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync();

        var log = new FileInfo(host.DatabasePath + "-wal");
        Assert.True(!log.Exists || log.Length == 0, $"the write-ahead log keeps {log.Length} bytes");
    }

    [Fact]
    public async Task Retention_runs_by_itself_a_minute_after_start_and_again_after_each_interval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        (await PostAsync(client, ValidBody(nationalId: NationalId(553_000)))).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromDays(366)); // past the first minute
        await ErasedAsync(1);

        (await PostAsync(client, ValidBody(nationalId: NationalId(553_001)))).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromDays(366)); // past the next interval
        await ErasedAsync(2);

        async Task ErasedAsync(int count)
        {
            for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(20); waited += TimeSpan.FromMilliseconds(100))
            {
                await using var db = host.CreateDbContext();
                if (await db.Applications.CountAsync(a => a.PersonalDataErasedAt != null) == count) return;
                await Task.Delay(100);
            }
            Assert.Fail($"the retention host did not erase {count} applications by itself");
        }
    }

    [Fact]
    public void Retention_of_the_fraud_look_back_and_a_day_run_every_minute_is_accepted()
    {
        using var host = new LoanHubHost();
        host.Settings["LoanHub:Retention:PersonalDataDays"] = "181";
        host.Settings["LoanHub:Retention:Interval"] = "00:01:00";

        var options = host.Services.GetRequiredService<IOptions<RetentionOptions>>().Value;

        Assert.Equal((181, TimeSpan.FromMinutes(1)), (options.PersonalDataDays, options.Interval));
    }

    [Fact]
    public void Retention_run_more_often_than_once_a_minute_is_refused_at_start()
    {
        using var host = new LoanHubHost();
        host.Settings["LoanHub:Retention:Interval"] = "00:00:59";

        var refused = Assert.Throws<OptionsValidationException>(() => host.Server);
        Assert.Contains("Interval must be at least a minute", refused.Message);
    }

    [Fact]
    public void Retention_shorter_than_the_fraud_look_back_is_refused_at_start()
    {
        using var host = new LoanHubHost();
        host.Settings["LoanHub:Retention:PersonalDataDays"] = "90";

        var refused = Assert.Throws<OptionsValidationException>(() => host.Server);
        Assert.Contains("at least 181", refused.Message);
    }

    private static async Task<(int Today, int Last30Days, decimal Commission)> TotalsAsync(LoanHubHost host)
    {
        var snapshot = await host.Services.GetRequiredService<DashboardService>().LoadAsync();
        await using var db = host.CreateDbContext();
        return (await db.DailyApplicationCounts.SumAsync(c => c.Applicants), snapshot.Last30DaysTotal, await db.DailyLenderCounts.SumAsync(c => c.Commission));
    }
}
