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
        Assert.Equal(PersonalDataRetention.Actor, audit.Actor);
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
