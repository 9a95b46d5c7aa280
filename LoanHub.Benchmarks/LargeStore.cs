using System.Diagnostics;
using System.Net.Http.Json;
using LoanHub.Core.Identity;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// A store of many applications for the benchmarks that read at scale: sixty applicants posted through the real API
/// (so every row is valid and decryptable, decided by the real engine), then copied in SQL with fresh ids, references
/// and look-up hashes, spread over the last 90 days — the same shape and ciphertexts, many more rows.
/// </summary>
internal sealed class LargeStore : IAsyncDisposable
{
    private LargeStore(BenchHost host, string databasePath, bool kept)
    {
        Host = host;
        DatabasePath = databasePath;
        this.kept = kept;
    }

    /// <summary>
    /// A folder named by <c>LOANHUB_BENCH_KEEP</c> keeps each grown store (by size) after the run and serves it to the next
    /// one instead of growing it again: a million applications take minutes to grow, and trying a change to the replay
    /// should not. Its applications keep the dates they were grown with, so reuse it within a day or two.
    /// </summary>
    private static string? KeptIn => Environment.GetEnvironmentVariable("LOANHUB_BENCH_KEEP") is { Length: > 0 } folder ? folder : null;

    private readonly bool kept;

    public BenchHost Host { get; }
    public string DatabasePath { get; }

    /// <summary>
    /// A store of <paramref name="size"/> applications (grown, or kept from an earlier run) and the app started on it as an
    /// operator finds it: the engine has read its state (the fraud history of the store's applicants) before anything is
    /// measured, so a measurement neither competes with that read nor leaves out the memory it holds.
    /// </summary>
    public static async Task<LargeStore> CreateAsync(int size)
    {
        var seed = Path.Combine(BenchHost.RepositoryRoot, "seed", "loanhub.example.json");
        var keptPath = KeptIn is { } folder ? Path.Combine(Directory.CreateDirectory(folder).FullName, $"apps-{size}.db") : null;
        var databasePath = keptPath ?? Path.Combine(Path.GetTempPath(), "loanhub-bench", $"apps-{Guid.NewGuid():N}.db");
        if (keptPath is not null && File.Exists(keptPath)) Console.WriteLine($"store of {size:N0} applications reused from {keptPath}");
        else await GrowStoreAsync(databasePath, size, seed);

        var host = BenchHost.ForIntake(databasePath, seed);
        var store = new LargeStore(host, databasePath, kept: keptPath is not null);
        await using (var db = host.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContext())
            if (await db.Applications.LongCountAsync() is var stored && stored != size)
                throw new InvalidOperationException($"{databasePath} holds {stored:N0} applications, not {size:N0} (a run stopped while growing it?): delete it");
        var engine = host.Services.GetRequiredService<EngineHost>();
        var starting = Stopwatch.StartNew();
        while (engine.StateLoads == 0)
        {
            if (starting.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("the engine did not read its state from the store within 10 minutes");
            await Task.Delay(100);
        }
        Console.WriteLine($"app started on the store of {size:N0}: the engine read its state in {starting.Elapsed.TotalSeconds:F1} s");
        return store;
    }

    /// <summary>Sixty applicants posted through the API, copied to <paramref name="size"/>, on a host of its own that is then stopped.</summary>
    private static async Task GrowStoreAsync(string databasePath, int size, string seed)
    {
        await using var host = BenchHost.ForIntake(databasePath, seed);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "example-source-ADS-0f3a9c2e");
        const int templates = 60;
        for (var n = 0; n < templates; n++)
            (await client.PostAsJsonAsync("/api/v1/applications", Applicant(n))).EnsureSuccessStatusCode();

        var grow = Stopwatch.StartNew();
        await GrowAsync(databasePath, size - templates);
        var bytes = new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"store of {size:N0} applications grown in {grow.Elapsed.TotalSeconds:F1} s ({bytes / 1_048_576.0:F0} MiB with WAL)");
    }

    /// <summary>Stops the app and deletes the store (unless kept): a million-row store is gigabytes of a shared disk.</summary>
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (kept) return;
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" }.Where(File.Exists)) File.Delete(file);
        var keys = Path.ChangeExtension(DatabasePath, null) + "-keys";
        if (Directory.Exists(keys)) Directory.Delete(keys, recursive: true);
    }

    // Copies the posted applications (and their assessments and allocations) with fresh ids, references and
    // look-up hashes, spread over the last 90 days: the same shape and ciphertexts, many more rows. Every column is
    // copied as it is except those named here, read from the table itself, so a migration that adds a column does not
    // break the copy. Rows written behind the application's back are then counted into the dashboard's daily
    // counters, as the migration does.
    private static async Task GrowAsync(string databasePath, int extra)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        static string Guid(string hex) =>
            $"upper(substr({hex},1,8)||'-'||substr({hex},9,4)||'-'||substr({hex},13,4)||'-'||substr({hex},17,4)||'-'||substr({hex},21,12))";
        // Copy n is n/extra of 90 days older than its template: the copies are spread evenly over the last 90 days.
        var shift = $"(s.n * 7776000 / {extra}) * 10000000";
        const string newHash = "lower(hex(randomblob(32)))";
        // Ids shaped as the app makes them (Guid.CreateVersion7 at receipt): the copy's arrival time in milliseconds,
        // then random bits, so arrival order is id order and a replay's look-ups by id walk the indexes in order, as
        // they do on a real store, rather than jumping about a million random keys.
        var version7 = $"printf('%012X', ((SELECT ReceivedAt FROM Applications WHERE Id = seq.tmpl) - {shift.Replace("s.n", "seq.n")} - 621355968000000000) / 10000)" +
                                " || '7' || substr(h1, 1, 3) || '8' || substr(h1, 4, 15)";
        var copies = new (string Table, string JoinOn, Dictionary<string, string> Changed)[]
        {
            ("Applications", "Id", new()
            {
                ["Id"] = "s.id", ["ExternalRef"] = "x.ExternalRef || '-' || s.n", ["ReceivedAt"] = $"x.ReceivedAt - {shift}",
                ["DecidedAt"] = $"x.DecidedAt - {shift}", ["IdentityHash"] = newHash, ["PhoneHash"] = newHash, ["DeviceHash"] = newHash,
            }),
            ("Assessments", "ApplicationId", new() { ["Id"] = "s.assessment", ["ApplicationId"] = "s.id", ["AssessedAt"] = $"x.AssessedAt - {shift}" }),
            ("Allocations", "ApplicationId", new()
            {
                ["Id"] = "s.allocation", ["ApplicationId"] = "s.id", ["AllocatedAt"] = $"x.AllocatedAt - {shift}",
                ["FeedSequence"] = "x.FeedSequence + s.n * 1000000",
            }),
        };
        var inserts = new List<string>();
        foreach (var (table, joinOn, changed) in copies)
        {
            var columns = new List<string>();
            await using (var info = connection.CreateCommand())
            {
                info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
            }
            inserts.Add($"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", columns.Select(c => changed.GetValueOrDefault(c, $"x.{c}")))} " +
                        $"FROM seq s JOIN {table} x ON x.{joinOn} = s.tmpl");
        }
        // Random hex is stored first and only then shaped into GUIDs: an expression that called randomblob()
        // several times would mix the parts of different values.
        var sql = $"""
            CREATE TEMP TABLE seq(n INTEGER PRIMARY KEY, h1 TEXT, h2 TEXT, h3 TEXT, id TEXT, assessment TEXT, allocation TEXT, tmpl TEXT);
            CREATE TEMP TABLE t AS SELECT Id, row_number() OVER (ORDER BY Id) - 1 AS k FROM Applications;
            WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {extra})
            INSERT INTO seq(n, h1, h2, h3, tmpl) SELECT n, hex(randomblob(16)), hex(randomblob(16)), hex(randomblob(16)),
              (SELECT Id FROM t WHERE k = n % (SELECT count(*) FROM t)) FROM c;
            UPDATE seq SET id = {Guid(version7)}, assessment = {Guid("h2")}, allocation = {Guid("h3")};
            {string.Join(";\n", inserts)};
            {LoanHub.Web.Data.Counters.DailyCountChanges.RecountSql}
            ANALYZE
            """;
        await connection.CloseAsync();
        await RunScriptAsync(databasePath, sql);
        // A live store checkpoints its WAL every thousand pages; the copy wrote a gigabyte in one transaction. Left in the
        // WAL, every page a measurement reads would be looked up in its index first.
        await using var checkpoint = new SqliteConnection($"Data Source={databasePath}");
        await checkpoint.OpenAsync();
        await using var command = checkpoint.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        command.CommandTimeout = 3600;
        // The app's background readers can hold the WAL for a moment: busy (first column 1) means try again.
        for (var tries = 0; tries < 100 && Convert.ToInt64(await command.ExecuteScalarAsync()) != 0; tries++) await Task.Delay(50);
    }

    /// <summary>Runs statements separated by <c>;</c> at line ends in one transaction, straight on the store file.</summary>
    internal static async Task RunScriptAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement;
            command.CommandTimeout = 3600;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static object Applicant(int n)
    {
        var amounts = new[] { 10_000, 30_000, 100_000, 8_000, 45_000 };
        return new
        {
            externalRef = $"S-{n:D6}",
            fullName = "陈静",
            nationalId = NationalId(n),
            phone = $"137{n:D8}",
            provinceCode = n % 3 == 0 ? "44" : "31",
            monthlyIncome = 4000 + n % 9 * 1500,
            employment = n % 4 == 0 ? "SelfEmployed" : "Salaried",
            requestedAmount = amounts[n % amounts.Length],
            termMonths = n % 5 == 0 ? 1 : 12,
            purpose = "Consumption",
            deviceId = n % 10 < 3 ? "shared-device" : $"dev-{n}",
            ipAddress = $"10.1.{n / 256 % 256}.{n % 256}",
            bureauScore = 560 + n % 7 * 40,
            consent = new { creditCheck = true, shareWithLenders = true, marketing = false, text = "我同意" },
        };
    }

    internal static string NationalId(int n)
    {
        var first17 = $"310104{new DateOnly(1980, 1, 1).AddDays(n * 37):yyyyMMdd}{n % 1000:D3}";
        return first17 + ResidentId.CheckCharacterOf(first17);
    }
}
