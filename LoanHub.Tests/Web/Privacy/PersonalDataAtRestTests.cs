using System.Text;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Security;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Backup;
using LoanHub.Web.Features.Reports;
using LoanHub.Web.Features.Retention;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Privacy;

/// <summary>
/// PII must-hold: what an applicant told us, posted through the intake API, is never found in clear where the
/// application writes — the store and its write-ahead log, the log, the Excel exports, a backup (whose key ring is
/// encrypted to the certificate, so the backup alone reads nothing) — and after retention not even in encrypted or
/// hashed form, in the store or a backup taken then. National IDs 760,000–760,099.
/// </summary>
public class PersonalDataAtRestTests
{
    private const string Name = "欧阳慕容雪";
    private const string Phone = "13976076001";
    private const string Device = "pii-device-5c1e07a9d3";
    private const string Ip = "203.0.113.76";
    private static readonly string NationalIdNumber = NationalId(760_001);

    private static readonly Secret[] Clear =
    [
        new("name", Name, AlsoUtf16: true),
        new("national ID", NationalIdNumber, AlsoUtf16: true),
        new("phone", Phone, AlsoUtf16: true),
        new("device ID", Device, AlsoUtf16: true),
        new("IP address", Ip, AlsoUtf16: true),
    ];

    [SqliteFact("it searches the SQLite file, its WAL and the file backup")]
    public async Task Personal_data_posted_at_intake_is_nowhere_in_clear_and_after_retention_nowhere_at_all()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoggedHost { Clock = clock };
        var (certificate, _) = TestCertificate.CreatePfx();
        host.Settings[KeyRing.CertificatePathKey] = certificate;
        host.Settings[KeyRing.CertificatePasswordKey] = TestCertificate.Password;
        var client = host.CreateClient();
        var body = ValidBody(nationalId: NationalIdNumber, phone: Phone, deviceId: Device, ip: Ip);
        body["fullName"] = Name;
        body["requestedAmount"] = 10_000; // only L2-MICRO takes it: CPL, so the lead is on the ledger and in the export at once
        body["termMonths"] = 1;
        var created = await ReadAsync(await PostAsync(client, body));
        Assert.Equal("L2-MICRO", (string?)created["routedTo"]?["productCode"]);
        var id = (string)created["applicationId"]!;
        var externalRef = (string)body["externalRef"]!;

        // Roles without the reveal right (analysts, operations managers) export reports; the workbook names no one.
        var day = BusinessDay.Of(clock.GetUtcNow());
        var workbook = await ExportAsync(host, new ReportFilter(day, day));
        var idBytes = Encoding.UTF8.GetBytes(id);
        Assert.Contains(workbook, part => part.Bytes.AsSpan().IndexOf(idBytes) >= 0); // the lead is in it, by its application id
        // A backup carries the store and the keys that read it, those only encrypted to the certificate kept elsewhere.
        PersonalDataLeaks.AssertAbsent([.. Clear, .. ClearKeys(host), Secret.Key("the certificate", File.ReadAllBytes(certificate))],
            PersonalDataLeaks.Folder(Backup(host)));
        PersonalDataLeaks.AssertAbsent(Clear, PersonalDataLeaks.Store(host.DatabasePath).Concat(workbook).Append(PersonalDataLeaks.Log(host.Logs)));

        // What is left of the applicant at rest, encrypted or hashed, must go with the retention run.
        var stored = await StoredFormsAsync(host.DatabasePath, id);
        clock.Advance(TimeSpan.FromDays(366));
        await host.Services.GetRequiredService<PersonalDataRetention>().RunOnceAsync(); // the background run may have been first
        await using (var db = host.CreateDbContext())
            Assert.NotNull((await db.Applications.SingleAsync(a => a.Id == new ApplicationId(Guid.Parse(id)))).PersonalDataErasedAt);

        PersonalDataLeaks.AssertAbsent([.. Clear, .. stored, new Secret("external reference", externalRef)], AfterRetention(host));
    }

    /// <summary>The places searched after retention: the store, and a backup taken after the run.</summary>
    private static IEnumerable<Place> AfterRetention(LoggedHost host) =>
        PersonalDataLeaks.Store(host.DatabasePath).Concat(PersonalDataLeaks.Folder(Backup(host)));

    /// <summary>The real backup of the running host's store and key ring into a new folder.</summary>
    private static string Backup(LoanHubHost host)
    {
        var folder = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"backup-{Guid.NewGuid():N}");
        var manifest = BackupCommand.Take(host.Services.GetRequiredService<KeyRing>(), folder);
        Assert.Equal(1, manifest.Applications);
        Assert.True(manifest.KeyRingEncrypted, "the backup's manifest says its key ring is in the clear");
        return folder;
    }

    /// <summary>The ring's master keys and the look-up key in clear, as the running application holds them.</summary>
    private static IEnumerable<Secret> ClearKeys(LoanHubHost host)
    {
        var ring = host.Services.GetRequiredService<KeyRing>();
        var keys = host.Services.GetRequiredService<IKeyManager>().GetAllKeys();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var masterKey = key.Descriptor.ExportToXml().SerializedDescriptorElement.Descendants("masterKey").Single().Element("value")!.Value;
            yield return Secret.Key($"master key {key.KeyId}", Convert.FromBase64String(masterKey));
        }
        var lookupKey = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("LoanHub.LookupKey.v1")
            .Unprotect(File.ReadAllBytes(ring.LookupKeyPath));
        yield return Secret.Key("look-up key", lookupKey);
    }

    /// <summary>The ciphertexts and keyed hashes the store holds for the application, read straight from its row.</summary>
    private static async Task<Secret[]> StoredFormsAsync(string databasePath, string applicationId)
    {
        string[] columns = ["FullName", "NationalId", "Phone", "DeviceId", "IpAddress", "IdentityHash", "PhoneHash", "DeviceHash", "IpHash", "RequestHash"];
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"Applications\" WHERE lower(\"Id\") = $id";
        command.Parameters.AddWithValue("$id", applicationId.ToLowerInvariant());
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        var secrets = columns.Select((c, i) => new Secret($"stored {c}", row.GetString(i))).ToArray();
        Assert.All(secrets, s => Assert.True(s.Value.Length >= 32, $"{s.What} should be a ciphertext or a hash: '{s.Value}'"));
        return secrets;
    }

    private static async Task<IReadOnlyList<Place>> ExportAsync(LoanHubHost host, ReportFilter filter)
    {
        const string analyst = "analyst@test.local";
        var exports = host.Services.GetRequiredService<ReportExports>();
        var token = await exports.BuildAsync(filter, analyst, null, CancellationToken.None);
        var built = exports.Take(token, analyst)!;
        try
        {
            return [.. PersonalDataLeaks.Workbook(built.FileName, await File.ReadAllBytesAsync(built.Path))];
        }
        finally
        {
            File.Delete(built.Path);
        }
    }
}
