using System.Security.Cryptography;
using System.Text.Json;
using LoanHub.Web.Data;
using Microsoft.Data.Sqlite;

namespace LoanHub.Web.Features.Backup;

/// <summary>
/// <c>LoanHub.Web backup &lt;dir&gt; [settings]</c>: an online copy of the store with the key ring and look-up key
/// that read it, taken from a separate process while the app goes on taking intake. The copy is a consistent
/// snapshot (SQLite's online backup reads one transaction), written in the store's layout so restoring is copying
/// the files back, with a manifest of what it holds. SQLite only: a PostgreSQL store is backed up with <c>pg_dump</c>
/// (<see cref="PostgresRefusal"/>).
/// </summary>
public static class BackupCommand
{
    public const string Name = "backup";
    public const string ManifestFile = "manifest.json";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var target, .. var settings] || target.StartsWith('-'))
        {
            await Console.Error.WriteLineAsync("usage: LoanHub.Web backup <dir> [--ConnectionStrings:LoanHub ... --LoanHub:DataProtection:KeysPath ...]");
            return 2;
        }
        try
        {
            // The app's own configuration (appsettings, environment, command line) names the store and its keys.
            var builder = WebApplication.CreateBuilder(settings);
            var store = StoreConnection.From(builder.Configuration, builder.Environment.ContentRootPath);
            if (!store.IsSqlite) throw new InvalidOperationException(PostgresRefusal(store));
            var manifest = Take(KeyRing.Locate(builder.Configuration, builder.Environment, store), Path.GetFullPath(target));
            Console.WriteLine($"Backed up {manifest.Applications} applications and {manifest.Files.Count - 1} key files to {Path.GetFullPath(target)}.");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or SqliteException)
        {
            await Console.Error.WriteLineAsync($"Backup failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>Why this command does not back up a PostgreSQL store, and what does.</summary>
    internal static string PostgresRefusal(StoreConnection store) =>
        $"the backup command copies a SQLite store file, and the store is the {store.Description}. Back it up with " +
        "PostgreSQL's own tools (pg_dump -Fc, or a base backup with WAL archiving): the dump holds the key ring, encrypted " +
        "to the certificate, which must be kept too (and the folder " + KeyRing.KeysPathKey + " names, if one is set).";

    internal static BackupManifest Take(KeyRing keys, string target)
    {
        if (!keys.Store.IsSqlite) throw new InvalidOperationException(PostgresRefusal(keys.Store));
        var store = keys.Store.FilePath;
        if (!File.Exists(store)) throw new InvalidOperationException($"There is no store at {store}.");
        // A store whose keys are gone would be backed up unreadable.
        keys.EnsurePresentForStore();
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new InvalidOperationException($"{target} is not empty; give each backup a folder of its own.");
        Directory.CreateDirectory(target);

        var copy = Path.Combine(target, Path.GetFileName(store));
        CopyStore(keys.Store.ConnectionString, copy);
        // After the store: a key made while the copy was taken encrypts no row in it, and keys are never deleted,
        // so every key the copy needs is on disk now.
        var keysCopy = Path.Combine(target, Path.GetFileNameWithoutExtension(store) + "-keys");
        var keyFiles = CopyKeys(keys.Files, keysCopy);

        var (applications, integrity) = Check(copy);
        if (integrity != "ok") throw new InvalidOperationException($"The copy {copy} fails its integrity check: {integrity}");
        var manifest = new BackupManifest(
            DateTimeOffset.UtcNow, store, keys.Directory!, applications, integrity, // a SQLite store's ring is a folder
            KeyRingEncrypted: keyFiles.Any(file => file.EndsWith(".xml", StringComparison.Ordinal) && File.ReadAllText(file).Contains("<encryptedSecret", StringComparison.Ordinal)),
            [Describe(target, copy), .. keyFiles.Select(file => Describe(target, file))]);
        File.WriteAllText(Path.Combine(target, ManifestFile), JsonSerializer.Serialize(manifest, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return manifest;
    }

    private static void CopyStore(string connectionString, string copy)
    {
        var source = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        using var from = new SqliteConnection(source.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        from.Open();
        to.Open();
        // One step over all pages reads one snapshot; in WAL mode intake keeps writing meanwhile.
        from.BackupDatabase(to);
        using var command = to.CreateCommand();
        // One self-contained file to move around; the app switches it back to WAL when it opens it.
        command.CommandText = "PRAGMA journal_mode=DELETE;";
        command.ExecuteNonQuery();
    }

    private static string[] CopyKeys(IReadOnlyList<string> files, string keysCopy)
    {
        Directory.CreateDirectory(keysCopy);
        return [.. files.Select(file =>
        {
            var copied = Path.Combine(keysCopy, Path.GetFileName(file));
            File.Copy(file, copied);
            return copied;
        })];
    }

    private static (long Applications, string Integrity) Check(string copy)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var integrity = (string)command.ExecuteScalar()!;
        command.CommandText = "SELECT count(*) FROM Applications;";
        return ((long)command.ExecuteScalar()!, integrity);
    }

    private static BackupFile Describe(string root, string path)
    {
        using var stream = File.OpenRead(path);
        return new BackupFile(Path.GetRelativePath(root, path).Replace('\\', '/'), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}

/// <summary>What a backup folder holds. The certificate that protects the key ring is never in it: keep that apart.</summary>
/// <param name="KeyRingEncrypted">True when the ring's keys are encrypted to a certificate: a restore needs that certificate.</param>
public sealed record BackupManifest(
    DateTimeOffset TakenAt, string Store, string KeysDirectory, long Applications, string IntegrityCheck, bool KeyRingEncrypted,
    IReadOnlyList<BackupFile> Files);

public sealed record BackupFile(string Path, long Bytes, string Sha256);
