using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;

namespace LoanHub.Tests.Web.Security;

/// <summary>The real application as it runs in Production (no demo, HSTS, a key ring that must be protected).</summary>
public sealed class ProductionHost : LoanHubHost
{
    public ProductionHost() { }

    private ProductionHost(string databasePath) : base(databasePath) { }

    public static new ProductionHost OnDatabase(string databasePath) => new(databasePath);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>A self-signed RSA certificate with its private key, written as a password-protected PFX as openssl would.</summary>
internal static class TestCertificate
{
    public const string Password = "Pfx-Passw0rd";

    public static (string Path, string Thumbprint) CreatePfx()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=LoanHub key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "loanhub-tests", $"keyring-{Guid.NewGuid():N}.pfx");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return (path, certificate.Thumbprint);
    }
}
