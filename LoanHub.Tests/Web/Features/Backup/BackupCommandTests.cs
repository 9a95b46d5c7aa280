using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LoanHub.Tests.Web.Features.Intake;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Backup;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Backup;

public class BackupCommandTests
{
    private const int FirstId = 740_100;
    private const int LastId = 740_999;

    [SqliteFact("the backup command copies a SQLite file")]
    public async Task Backup_taken_while_intake_runs_holds_every_acknowledged_application_and_restores_readable()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        var next = FirstId;
        var beforeBackup = new List<ApplicationId>();
        for (var i = 0; i < 30; i++) beforeBackup.Add(await PostAsync(client, next++));

        var backup = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"backup-{Guid.NewGuid():N}");
        using var stop = new CancellationTokenSource();
        var acknowledgedDuringBackup = 0;
        async Task PostUntilStoppedAsync()
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) is var n && n <= LastId)
            {
                await PostAsync(client, n);
                Interlocked.Increment(ref acknowledgedDuringBackup);
            }
        }
        var intake = Task.WhenAll(PostUntilStoppedAsync(), PostUntilStoppedAsync());
        var (exitCode, output) = await RunBackupProcessAsync(host.DatabasePath, backup);
        var stillPosting = !intake.IsCompleted;
        await stop.CancelAsync();
        await intake;

        Assert.True(exitCode == 0, output);
        Assert.True(stillPosting && acknowledgedDuringBackup > 0, "intake did not run while the backup was taken");
        var copy = Path.Combine(backup, Path.GetFileName(host.DatabasePath));
        Assert.Equal("ok", Scalar(copy, "PRAGMA integrity_check;"));
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(backup, BackupCommand.ManifestFile))).RootElement;
        Assert.Equal("ok", manifest.GetProperty("integrityCheck").GetString());
        Assert.Contains(manifest.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString()!.EndsWith("lookup-hash.key", StringComparison.Ordinal));

        // Restore as the README says: the backup's files into a data folder, and start.
        var restored = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"restored-{Guid.NewGuid():N}");
        CopyFolder(backup, restored);
        using var restoredHost = LoanHubHost.OnDatabase(Path.Combine(restored, Path.GetFileName(host.DatabasePath)));
        await using var db = restoredHost.CreateDbContext();
        var names = await db.Applications.Where(a => beforeBackup.Contains(a.Id)).Select(a => a.Applicant.FullName).ToListAsync();
        Assert.Equal(beforeBackup.Count, names.Count);
        Assert.All(names, name => Assert.Equal("王芳", name));
    }

    [SqliteFact("the backup command copies a SQLite file")]
    public async Task Backup_into_a_folder_that_is_not_empty_is_refused_and_writes_nothing()
    {
        using var host = new LoanHubHost();
        await PostAsync(host.CreateClient(), FirstId - 1);
        var backup = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"backup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(backup);
        File.WriteAllText(Path.Combine(backup, "earlier.txt"), "an earlier backup");

        var (exitCode, output) = await RunBackupProcessAsync(host.DatabasePath, backup);

        Assert.Equal(1, exitCode);
        Assert.Contains("not empty", output);
        Assert.Equal(["earlier.txt"], Directory.GetFileSystemEntries(backup).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Backup_of_a_PostgreSQL_store_is_refused_pointing_at_pg_dump_and_writes_nothing()
    {
        var backup = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"backup-{Guid.NewGuid():N}");
        var (exitCode, output) = await RunBackupProcessAsync(backup,
        [
            new(StoreConnection.ProviderKey, "Postgres"),
            // Refused before any connection: no server needs to listen there.
            new("ConnectionStrings:LoanHub", "Host=127.0.0.1;Port=9;Database=loanhub;Username=loanhub"),
            new(KeyRing.KeysPathKey, backup + "-keys"),
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("pg_dump", output);
        Assert.Contains("PostgreSQL database loanhub on 127.0.0.1:9", output);
        Assert.False(Directory.Exists(backup));
    }

    private static async Task<ApplicationId> PostAsync(HttpClient client, int n)
    {
        var response = await IntakeClient.PostAsync(client, IntakeClient.ValidBody(nationalId: IntakeClient.NationalId(n)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new ApplicationId(Guid.Parse((string)(await IntakeClient.ReadAsync(response))["applicationId"]!));
    }

    /// <summary>The command as an operator runs it: a process of its own beside the running app, over the same store.</summary>
    private static Task<(int ExitCode, string Output)> RunBackupProcessAsync(string databasePath, string backup) =>
        RunBackupProcessAsync(backup, TestStores.Settings(databasePath));

    private static async Task<(int ExitCode, string Output)> RunBackupProcessAsync(string backup, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "LoanHub.Web.dll"), BackupCommand.Name, backup })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}");
            start.ArgumentList.Add(value ?? "");
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string Scalar(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar())!;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
