using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Security;

/// <summary>The real application as it runs in Production (no demo, HSTS, a key ring that must be protected).</summary>
public sealed class ProductionHost : LoanHubHost
{
    public ProductionHost() { }

    private ProductionHost(string databasePath) : base(databasePath) { }

    public static new ProductionHost OnDatabase(string databasePath) => new(databasePath);

    /// <summary>Starts on a real Kestrel port, so requests arrive from a real (loopback) address, as from a proxy.</summary>
    public HttpClient StartOnPort()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    }

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

    /// <summary>Has <paramref name="host"/> protect its key ring with the certificate at <paramref name="pfx"/>.</summary>
    public static T ProtectRing<T>(T host, string pfx) where T : LoanHubHost
    {
        host.Settings[LoanHub.Web.Data.KeyRing.CertificatePathKey] = pfx;
        host.Settings[LoanHub.Web.Data.KeyRing.CertificatePasswordKey] = Password;
        return host;
    }
}
