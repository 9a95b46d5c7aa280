using LoanHub.Web.Features.Applications;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Privacy;

/// <summary>Device ID and IP on the detail page, and look-ups by ID or phone in the list. National IDs 760,300–760,399.</summary>
public class PersonalDataOnScreenTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string Device = "screen-device-0a1b2c3d4e5f";
    private const string Ip = "198.51.100.23";

    private ApplicationsService Service => host.Services.CreateScope().ServiceProvider.GetRequiredService<ApplicationsService>();

    private async Task<ApplicationId> PostAsync(int n, string phone)
    {
        var response = await LoanHub.Tests.Web.Features.Intake.IntakeClient.PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(n), phone: phone, deviceId: Device + n, ip: Ip));
        response.EnsureSuccessStatusCode();
        return new ApplicationId(Guid.Parse((string)(await ReadAsync(response))["applicationId"]!));
    }

    [Fact]
    public async Task Device_and_ip_are_masked_and_revealed_in_full_only_to_roles_that_may_reveal_with_the_reveal_audited()
    {
        var id = await PostAsync(760_300, "13976030000");

        var detail = (await Service.GetAsync(id))!;
        Assert.Equal((PersonalDataMask.DeviceId(Device + 760_300), "198.51.*.*"), (detail.MaskedDeviceId, detail.MaskedIpAddress));
        Assert.DoesNotContain(Device, detail.MaskedDeviceId);

        foreach (var role in new[] { Roles.Analyst, Roles.OperationsManager })
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
                Service.RevealAsync(id, PersonalField.DeviceId, TestUsers.Principal($"{role}@test.local", role)));
        var reviewer = TestUsers.Principal("compliance.760300@test.local", Roles.ComplianceReviewer);
        Assert.Equal(Device + 760_300, await Service.RevealAsync(id, PersonalField.DeviceId, reviewer));
        Assert.Equal(Ip, await Service.RevealAsync(id, PersonalField.IpAddress, reviewer));

        await using var db = host.CreateDbContext();
        var reveals = await db.Audit.Where(a => a.Actor == "compliance.760300@test.local" && a.Action == "Personal data revealed").ToListAsync();
        Assert.Equal(2, reveals.Count);
    }

    [Fact]
    public async Task Searching_by_national_id_or_phone_is_audited_with_who_and_how_but_never_the_value_in_clear()
    {
        const string phone = "13976031000";
        await PostAsync(760_310, phone);
        var analyst = TestUsers.Principal("analyst.760310@test.local", Roles.Analyst);

        Assert.Single((await Service.SearchAsync(new ApplicationFilter { IdOrPhone = NationalId(760_310) }, 0, 25, analyst)).Rows);
        Assert.Single((await Service.SearchAsync(new ApplicationFilter { IdOrPhone = phone }, 0, 25, analyst)).Rows);
        await Service.SearchAsync(new ApplicationFilter(), 0, 25, analyst); // browsing looks no one up

        await using var db = host.CreateDbContext();
        var entries = await db.Audit.AsNoTracking().Where(a => a.Actor == "analyst.760310@test.local").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["Searched by national ID", "Searched by phone"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("Applications", e.Area));
        Assert.Equal([PersonalDataMask.NationalId(NationalId(760_310)), PersonalDataMask.Phone(phone)], entries.Select(e => e.EntityId));
        var written = string.Join("|", entries.Select(e => $"{e.EntityId} {e.Before} {e.After}"));
        Assert.DoesNotContain(NationalId(760_310), written);
        Assert.DoesNotContain(phone, written);

        var nobody = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.SearchAsync(new ApplicationFilter { IdOrPhone = phone }, 0, 25, nobody));
    }
}
