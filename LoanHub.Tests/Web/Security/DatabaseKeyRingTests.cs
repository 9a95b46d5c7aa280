using System.Net;
using System.Xml.Linq;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Security;

/// <summary>
/// A PostgreSQL store keeps the Data Protection key ring and the look-up key in its own tables (ADR 0013), so every
/// instance on the database shares them: encrypted to the certificate, read back after a restart, and a store that
/// lost them is refused rather than given new ones.
/// </summary>
public class DatabaseKeyRingTests
{
    private const string Why = "the key ring is kept in the database only on PostgreSQL; a SQLite store keeps it beside its file";
    private static readonly XNamespace XmlEnc = "http://www.w3.org/2001/04/xmlenc#";

    private static async Task<PostgresLoanHubDbContext> KeyTablesAsync(LoanHubHost host) =>
        await host.Services.GetRequiredService<IDbContextFactory<PostgresLoanHubDbContext>>().CreateDbContextAsync();

    [PostgresFact(Why)]
    public async Task The_ring_and_the_look_up_key_are_in_the_database_encrypted_to_the_certificate_and_read_back_after_a_restart()
    {
        var (pfx, _) = TestCertificate.CreatePfx();
        var path = LoanHubHost.NewDatabasePath();
        var body = IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(741_000));
        ApplicationId id;
        using (var host = TestCertificate.ProtectRing(ProductionHost.OnDatabase(path), pfx))
        {
            var response = await IntakeClient.PostAsync(host.CreateClient(), body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            id = new ApplicationId(Guid.Parse((string)(await IntakeClient.ReadAsync(response))["applicationId"]!));

            await using var keys = await KeyTablesAsync(host);
            var ring = await keys.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
            Assert.NotEmpty(ring);
            Assert.All(ring, xml =>
            {
                var key = XDocument.Parse(xml!);
                Assert.Empty(key.Descendants("masterKey"));
                Assert.Single(key.Descendants(XmlEnc + "EncryptedData"));
            });
            Assert.Single(await keys.LookupKeys.ToListAsync());
        }
        Assert.False(Directory.Exists(TestStores.KeysDirectory(path)), "no key folder is made");

        using var restarted = TestCertificate.ProtectRing(ProductionHost.OnDatabase(path), pfx);
        await using (var db = restarted.CreateDbContext())
            Assert.Equal("王芳", (await db.Applications.SingleAsync(a => a.Id == id)).Applicant.FullName);
        // The same look-up key: the same person again is found.
        var again = body.DeepClone();
        again["externalRef"] = $"T-{Guid.NewGuid():N}";
        Assert.Equal("Duplicate", (string?)(await IntakeClient.ReadAsync(await IntakeClient.PostAsync(restarted.CreateClient(), again)))["status"]);
    }

    [PostgresFact(Why)]
    public async Task Start_is_refused_when_the_store_holds_applications_but_its_key_ring_table_was_emptied()
    {
        await AssertRefusedWithoutAsync("DataProtectionKeys", "the key ring");
    }

    [PostgresFact(Why)]
    public async Task Start_is_refused_when_the_store_holds_applications_but_its_look_up_key_is_gone()
    {
        await AssertRefusedWithoutAsync("LookupKeys", "the look-up key");
    }

    private static async Task AssertRefusedWithoutAsync(string table, string named)
    {
        var path = LoanHubHost.NewDatabasePath();
        using (var host = LoanHubHost.OnDatabase(path))
        {
            var response = await IntakeClient.PostAsync(host.CreateClient(), IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(741_100)));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            await using var keys = await KeyTablesAsync(host);
#pragma warning disable EF1002 // the table name is one of two constants
            await keys.Database.ExecuteSqlRawAsync($"DELETE FROM \"{table}\"");
#pragma warning restore EF1002
        }

        using var restarted = LoanHubHost.OnDatabase(path);
        var refusal = KeyRingProtectionTests.StartupRefusal(restarted);

        Assert.Contains("holds 1 applications", refusal);
        Assert.Contains(named, refusal);
        Assert.Contains("Restore", refusal);
    }
}
