using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Privacy;

/// <summary>Stores written before device IDs and IPs were encrypted. National IDs 760,400–760,499.</summary>
public class LegacyDeviceAndIpTests
{
    [SqliteFact("only SQLite stores predate the encryption of device and IP; PostgreSQL's migrations begin after it")]
    public async Task Device_and_ip_stored_in_clear_by_an_earlier_version_are_encrypted_and_hashed_at_the_next_start()
    {
        var path = LoanHubHost.NewDatabasePath();
        using (var first = LoanHubHost.OnDatabase(path))
        {
            (await PostAsync(first.CreateClient(), ValidBody(nationalId: NationalId(760_400)))).EnsureSuccessStatusCode();
            await using var db = first.CreateDbContext();
            // As the previous version left it: the values in clear, no hashes.
            await db.Database.ExecuteSqlRawAsync(
                """UPDATE "Applications" SET "DeviceId" = 'legacy-device-760400', "IpAddress" = '10.76.4.0', "DeviceHash" = '', "IpHash" = ''""");
        }

        using var second = LoanHubHost.OnDatabase(path);
        await using var after = second.CreateDbContext();
        var application = await after.Applications.AsNoTracking().SingleAsync();
        var personalData = second.Services.GetRequiredService<PersonalData>();
        Assert.Equal(("legacy-device-760400", "10.76.4.0"), (application.Applicant.DeviceId, application.Applicant.IpAddress));
        Assert.Equal((personalData.LookupHash("legacy-device-760400"), personalData.LookupHash("10.76.4.0")), (application.DeviceHash, application.IpHash));
        var raw = await after.Database.SqlQueryRaw<string>("""SELECT "DeviceId" AS "Value" FROM "Applications" """).SingleAsync();
        Assert.NotEqual("legacy-device-760400", raw);
    }
}
