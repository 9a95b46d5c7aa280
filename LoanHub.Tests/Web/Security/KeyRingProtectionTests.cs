using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Security;

public class KeyRingProtectionTests
{
    private static readonly XNamespace XmlEnc = "http://www.w3.org/2001/04/xmlenc#";
    private static readonly XNamespace XmlDsig = "http://www.w3.org/2000/09/xmldsig#";

    [Fact]
    public async Task Key_ring_on_disk_is_encrypted_to_the_configured_certificate_and_reads_back_after_a_restart()
    {
        var (pfx, thumbprint) = TestCertificate.CreatePfx();
        var path = LoanHubHost.NewDatabasePath();
        ApplicationId id;
        using (var host = WithCertificate(ProductionHost.OnDatabase(path), pfx))
        {
            var response = await IntakeClient.PostAsync(host.CreateClient(), IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(740_000)));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            id = new ApplicationId(Guid.Parse((string)(await IntakeClient.ReadAsync(response))["applicationId"]!));
        }

        var keysDirectory = TestStores.KeysDirectory(path);
        var keyFiles = Directory.GetFiles(keysDirectory, "key-*.xml");
        Assert.NotEmpty(keyFiles);
        foreach (var file in keyFiles)
        {
            var key = XDocument.Load(file);
            Assert.Empty(key.Descendants("masterKey"));
            var encrypted = Assert.Single(key.Descendants(XmlEnc + "EncryptedData"));
            var embedded = encrypted.Descendants(XmlDsig + "X509Certificate").Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.Value)));
            Assert.Contains(thumbprint, embedded.Select(c => c.Thumbprint));
        }

        using var restarted = WithCertificate(ProductionHost.OnDatabase(path), pfx);
        await using var db = restarted.CreateDbContext();
        Assert.Equal("王芳", (await db.Applications.SingleAsync(a => a.Id == id)).Applicant.FullName);
    }

    [Fact]
    public void Production_start_without_a_certificate_is_refused_naming_the_keys_to_set()
    {
        using var host = new ProductionHost();

        var refusal = StartupRefusal(host);

        Assert.Contains(KeyRing.CertificatePathKey, refusal);
        Assert.Contains(KeyRing.CertificatePasswordKey, refusal);
        Assert.Contains(KeyRing.AllowUnprotectedKeysKey, refusal);
    }

    [Fact]
    public async Task Production_starts_with_a_ring_in_the_clear_when_AllowUnprotectedKeys_is_set()
    {
        using var host = new ProductionHost();
        host.Settings[KeyRing.AllowUnprotectedKeysKey] = "true";

        var response = await host.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("key-*.xml", "the key ring")]
    [InlineData("lookup-hash.key", "the look-up key")]
    public async Task Start_is_refused_when_the_store_holds_applications_but_its_keys_are_gone(string deleted, string named)
    {
        var path = LoanHubHost.NewDatabasePath();
        using (var host = InFolder(LoanHubHost.OnDatabase(path)))
        {
            var response = await IntakeClient.PostAsync(host.CreateClient(), IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(740_001)));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var keysDirectory = TestStores.KeysDirectory(path);
        foreach (var file in Directory.GetFiles(keysDirectory, deleted)) File.Delete(file);

        using var restarted = InFolder(LoanHubHost.OnDatabase(path));
        var refusal = StartupRefusal(restarted);

        Assert.Contains("holds 1 applications", refusal);
        Assert.Contains(named, refusal);
        Assert.Contains(keysDirectory, refusal);
        Assert.Contains("Restore", refusal);
        Assert.Empty(Directory.GetFiles(keysDirectory, deleted)); // nothing new was made in its place
    }

    private static LoanHubHost WithCertificate(LoanHubHost host, string pfx) => TestCertificate.ProtectRing(InFolder(host), pfx);

    // The ring as files, on either provider (a PostgreSQL store keeps it in the database unless a folder is named).
    private static LoanHubHost InFolder(LoanHubHost host)
    {
        host.Settings[KeyRing.KeysPathKey] = TestStores.KeysDirectory(host.DatabasePath);
        return host;
    }

    /// <summary>The message of the exception that stopped the application starting.</summary>
    internal static string StartupRefusal(LoanHubHost host)
    {
        var thrown = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<KeyRing>());
        for (var e = thrown; e is not null; e = e.InnerException)
            if (e is InvalidOperationException { Source: "LoanHub.Web" }) return e.Message;
        throw new Xunit.Sdk.XunitException($"The start failed, but not with LoanHub's refusal: {thrown}");
    }
}
