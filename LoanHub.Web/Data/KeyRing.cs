using System.Security.Cryptography.X509Certificates;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanHub.Web.Data;

/// <summary>
/// The Data Protection key ring and the look-up hash key beside it: where they live, the certificate that encrypts
/// them, and the checks that stop a start which would expose them or silently replace them
/// (<see href="../../docs/decisions/0007-key-ring-protection.md">ADR 0007</see>). A SQLite store keeps them as files
/// in a folder beside it (or <c>LoanHub:DataProtection:KeysPath</c>); a PostgreSQL store keeps them in the database,
/// so every instance sharing it shares them (ADR 0013), unless <c>KeysPath</c> names a folder.
/// </summary>
public sealed class KeyRing
{
    public const string KeysPathKey = "LoanHub:DataProtection:KeysPath";
    public const string CertificatePathKey = "LoanHub:DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "LoanHub:DataProtection:CertificatePassword";
    public const string AllowUnprotectedKeysKey = "LoanHub:DataProtection:AllowUnprotectedKeys";

    private const string KeyFilePattern = "key-*.xml";

    private KeyRing(StoreConnection store, string? directory, X509Certificate2? certificate)
    {
        Store = store;
        Directory = directory;
        Certificate = certificate;
    }

    /// <summary>The store whose personal data this ring encrypts.</summary>
    public StoreConnection Store { get; }

    /// <summary>The folder of the ring and the look-up key; null when they are in the database (<see cref="InDatabase"/>).</summary>
    public string? Directory { get; }

    /// <summary>The ring and the look-up key are tables of the PostgreSQL store.</summary>
    public bool InDatabase => Directory is null;

    /// <summary>Where the look-up key is kept: a file in <see cref="Directory"/>, or the store's <c>LookupKeys</c> table.</summary>
    public LookupKeyStore LookupKeys(IServiceProvider services) =>
        Directory is null ? new LookupKeyInDatabase(services) : new LookupKeyFile(LookupKeyPath);

    /// <summary>The certificate whose public key encrypts every new key of the ring; null when the ring is kept in the clear.</summary>
    public X509Certificate2? Certificate { get; }

    public string LookupKeyPath => Path.Combine(FolderOrThrow, LookupKeyFile.FileName);

    private string FolderOrThrow => Directory ?? throw new InvalidOperationException("The key ring is in the database: it has no files.");

    /// <summary>The ring's key files and the look-up key, whichever exist now.</summary>
    public IReadOnlyList<string> Files => Directory is null ? [] : [.. RingKeyFiles, .. new[] { LookupKeyPath }.Where(File.Exists)];

    private string[] RingKeyFiles =>
        Directory is not null && System.IO.Directory.Exists(Directory) ? [.. System.IO.Directory.GetFiles(Directory, KeyFilePattern).Order(StringComparer.Ordinal)] : [];

    /// <summary>
    /// Reads where the ring is and what protects it. Outside Development a ring without a certificate is refused
    /// unless <c>LoanHub:DataProtection:AllowUnprotectedKeys</c> says the clear ring is a deliberate choice.
    /// </summary>
    public static KeyRing From(IConfiguration configuration, IHostEnvironment environment, StoreConnection store)
    {
        var directory = Locate(configuration, environment, store).Directory;
        var certificatePath = configuration[CertificatePathKey];
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            var path = Path.IsPathRooted(certificatePath) ? certificatePath : Path.Combine(environment.ContentRootPath, certificatePath);
            return new KeyRing(store, directory, LoadCertificate(path, configuration[CertificatePasswordKey]));
        }
        if (!environment.IsDevelopment() && !configuration.GetValue<bool>(AllowUnprotectedKeysKey))
        {
            throw new InvalidOperationException(
                $"The Data Protection key ring {(directory is null ? $"in the {store.Description}" : $"at {directory}")} would be stored unencrypted, and with it the key to every name, " +
                $"ID and phone in the store. Set {CertificatePathKey} to a PFX file with its private key (and " +
                $"{CertificatePasswordKey} to its password), kept away from the store and its backups; or set " +
                $"{AllowUnprotectedKeysKey}=true to accept a ring in the clear.");
        }
        return new KeyRing(store, directory, null);
    }

    /// <summary>Where the ring of the store is, for copying its files; it is not read, so no certificate is needed.</summary>
    public static KeyRing Locate(IConfiguration configuration, IHostEnvironment environment, StoreConnection store) =>
        new(store, DataExtensions.ResolveKeysDirectory(configuration[KeysPathKey], store, environment.ContentRootPath), null);

    public IDataProtectionBuilder Configure(IDataProtectionBuilder dataProtection)
    {
        dataProtection.SetApplicationName("LoanHub");
        if (Directory is null) dataProtection.PersistKeysToDbContext<PostgresLoanHubDbContext>();
        else dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Directory));
        return Certificate is null ? dataProtection : dataProtection.ProtectKeysWithCertificate(Certificate);
    }

    /// <summary>
    /// Refuses to go on when the store holds applications but the ring or the look-up key is gone: Data Protection
    /// would make a new ring without a word, and every stored name, ID and phone would be unreadable and every
    /// duplicate check blind.
    /// </summary>
    public void EnsurePresentForStore()
    {
        if (InDatabase) return; // checked once the store is migrated (EnsurePresentInDatabaseAsync)
        var missing = new List<string>();
        if (RingKeyFiles.Length == 0) missing.Add($"the key ring ({KeyFilePattern})");
        if (!File.Exists(LookupKeyPath)) missing.Add($"the look-up key ({Path.GetFileName(LookupKeyPath)})");
        if (missing.Count == 0) return;

        var applications = CountApplications();
        if (applications == 0) return;
        throw new InvalidOperationException(
            $"The store {Store.Description} holds {applications} applications, but " +
            $"{string.Join(" and ", missing)} is missing from {Directory}. Without it their names, IDs and phones cannot be " +
            $"read and duplicates cannot be matched, so LoanHub will not make a new one. Restore the folder from the backup " +
            $"taken with the store (the files listed in its manifest.json), or point {KeysPathKey} at where it is; " +
            $"a ring protected by a certificate also needs {CertificatePathKey}.");
    }

    /// <summary>The same check for a ring kept in the database, once its tables exist: the store's rows need its keys.</summary>
    public async Task EnsurePresentInDatabaseAsync(PostgresLoanHubDbContext db, CancellationToken cancellationToken)
    {
        if (!InDatabase) return;
        var missing = new List<string>();
        if (!await db.DataProtectionKeys.AnyAsync(cancellationToken)) missing.Add("the key ring (table DataProtectionKeys)");
        if (!await LookupKeyInDatabase.ExistsAsync(db, cancellationToken)) missing.Add("the look-up key (table LookupKeys)");
        if (missing.Count == 0) return;
        var applications = await db.Applications.LongCountAsync(cancellationToken);
        if (applications == 0) return;
        throw new InvalidOperationException(
            $"The store {Store.Description} holds {applications} applications, but {string.Join(" and ", missing)} is empty. " +
            "Without it their names, IDs and phones cannot be read and duplicates cannot be matched, so LoanHub will not make a " +
            "new one. Restore the database from a dump that holds those tables (pg_dump includes them); a ring protected by " +
            $"a certificate also needs {CertificatePathKey}.");
    }

    private long CountApplications() => Store.IsSqlite ? CountSqliteApplications() : CountPostgresApplications();

    private long CountSqliteApplications()
    {
        var source = new SqliteConnectionStringBuilder(Store.ConnectionString);
        if (!File.Exists(source.DataSource)) return 0;
        source.Mode = SqliteOpenMode.ReadOnly;
        source.Pooling = false;
        using var connection = new SqliteConnection(source.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Applications'";
        if ((long)command.ExecuteScalar()! == 0) return 0;
        command.CommandText = "SELECT count(*) FROM Applications";
        return (long)command.ExecuteScalar()!;
    }

    private long CountPostgresApplications()
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Store.ConnectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return 0; // no database yet: the first start creates it
        }
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT to_regclass('\"Applications\"') IS NOT NULL";
        if (!(bool)command.ExecuteScalar()!) return 0;
        command.CommandText = "SELECT count(*) FROM \"Applications\"";
        return (long)command.ExecuteScalar()!;
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"{CertificatePathKey} names {path}, which does not exist.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"The certificate {path} could not be read (is {CertificatePasswordKey} right?): {e.Message}", e);
        }
        // The ring's keys are encrypted to the public key and read back with the private one; EncryptedXml takes RSA.
        using var privateKey = certificate.HasPrivateKey ? certificate.GetRSAPrivateKey() : null;
        if (privateKey is null)
            throw new InvalidOperationException($"The certificate {path} must carry an RSA private key to read the key ring back.");
        return certificate;
    }
}
