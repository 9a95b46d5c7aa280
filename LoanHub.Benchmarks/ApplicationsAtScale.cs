using System.Diagnostics;
using System.Net.Http.Json;
using LoanHub.Core.Identity;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Applications;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The applications list on a large store: a store of 10,000 and one of 1,000,000 applications (grown in SQL
/// from applicants posted through the real API, so every row is valid and decryptable), and the list queries
/// an operator runs, timed on both. Prints the median of five runs and the ratio large/small.
///   dotnet run -c Release --project LoanHub.Benchmarks -- applications [large=1000000]
/// </summary>
internal static class ApplicationsAtScale
{
    public static async Task RunAsync(string[] args)
    {
        var large = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var small = await MeasureAsync(10_000);
        var big = await MeasureAsync(large);
        Console.WriteLine();
        Console.WriteLine($"{"query",-42} {"10k (ms)",9} {large / 1000 + "k (ms)",10} {"ratio",7}");
        foreach (var (name, ms) in small)
            Console.WriteLine($"{name,-42} {ms,9:F1} {big[name],10:F1} {big[name] / ms,7:F1}x");
    }

    // Searches by ID are audited, so they need someone signed in.
    private static readonly System.Security.Claims.ClaimsPrincipal Searcher = new(new System.Security.Claims.ClaimsIdentity(
        [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "bench@loanhub.local")], "bench"));

    private static async Task<Dictionary<string, double>> MeasureAsync(int size)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), "loanhub-bench", $"apps-{Guid.NewGuid():N}.db");
        await using var host = new BenchHost(new Dictionary<string, string?>
        {
            ["ConnectionStrings:LoanHub"] = $"Data Source={databasePath}",
            ["LoanHub:Seed:File"] = Path.Combine(BenchHost.RepositoryRoot, "seed", "loanhub.example.json"),
            ["LoanHub:Seed:Demo"] = "false",
            ["LoanHub:Seed:AdminPassword"] = "Bench-Admin-Passw0rd",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "example-source-ADS-0f3a9c2e");
        const int templates = 60;
        for (var n = 0; n < templates; n++)
            (await client.PostAsJsonAsync("/api/v1/applications", Applicant(n))).EnsureSuccessStatusCode();

        var grow = Stopwatch.StartNew();
        await GrowAsync(databasePath, size - templates);
        long stored;
        await using (var db = host.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContext())
            stored = await db.Applications.LongCountAsync();
        var bytes = new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"store of {stored:N0} applications grown in {grow.Elapsed.TotalSeconds:F1} s ({bytes / 1_048_576.0:F0} MiB with WAL)");
        if (stored != size) throw new InvalidOperationException($"expected {size:N0} applications, found {stored:N0}");

        var service = host.Services.GetRequiredService<ApplicationsService>();
        var options = await service.GetFilterOptionsAsync();
        var today = LoanHub.Core.Engine.BusinessDay.Of(DateTimeOffset.UtcNow);
        var cases = new (string Name, ApplicationFilter Filter, int Page)[]
        {
            ("first page, no filter", new(), 0),
            ("page 200, no filter", new(), 200),
            ("status InReview", new() { Status = LoanHub.Core.Domain.ApplicationStatus.InReview }, 0),
            ("source, last 7 days", new() { Source = options.Sources[0].Id, From = today.AddDays(-6), To = today }, 0),
            ("tier A", new() { Tier = LoanHub.Core.Domain.RiskTier.A }, 0),
            ("lender L2", new() { Lender = options.Lenders.Single(l => l.Code == "L2").Id }, 0),
            ("exact national ID", new() { IdOrPhone = NationalId(7) }, 0),
        };
        var result = new Dictionary<string, double>();
        var dashboard = host.Services.GetRequiredService<LoanHub.Web.Features.Dashboard.DashboardService>();
        await dashboard.LoadAsync(); // warm
        var dashboardTimes = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await dashboard.LoadAsync();
            dashboardTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        dashboardTimes.Sort();
        result["dashboard, all figures"] = dashboardTimes[2];
        foreach (var (name, filter, page) in cases)
        {
            await service.SearchAsync(filter, page, 25, Searcher); // warm
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var found = await service.SearchAsync(filter, page, 25, Searcher);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (found.Rows.Count == 0 && page == 0) throw new InvalidOperationException($"'{name}' found nothing: the benchmark would measure an empty result.");
            }
            times.Sort();
            result[name] = times[2];
        }
        return result;
    }

    // Copies the posted applications (and their assessments and allocations) with fresh ids, references and
    // look-up hashes, spread over the last 90 days: the same shape and ciphertexts, many more rows. Rows written
    // behind the application's back are then counted into the dashboard's daily counters, as the migration does.
    internal static async Task GrowAsync(string databasePath, int extra)
    {
        static string Guid(string hex) =>
            $"upper(substr({hex},1,8)||'-'||substr({hex},9,4)||'-'||substr({hex},13,4)||'-'||substr({hex},17,4)||'-'||substr({hex},21,12))";
        const string shift = "(s.n % 7776000) * 10000000";
        // Random hex is stored first and only then shaped into GUIDs: an expression that called randomblob()
        // several times would mix the parts of different values.
        var sql = $"""
            CREATE TEMP TABLE seq(n INTEGER PRIMARY KEY, h1 TEXT, h2 TEXT, h3 TEXT, id TEXT, assessment TEXT, allocation TEXT, tmpl TEXT);
            CREATE TEMP TABLE t AS SELECT Id, row_number() OVER (ORDER BY Id) - 1 AS k FROM Applications;
            WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {extra})
            INSERT INTO seq(n, h1, h2, h3, tmpl) SELECT n, hex(randomblob(16)), hex(randomblob(16)), hex(randomblob(16)),
              (SELECT Id FROM t WHERE k = n % (SELECT count(*) FROM t)) FROM c;
            UPDATE seq SET id = {Guid("h1")}, assessment = {Guid("h2")}, allocation = {Guid("h3")};
            INSERT INTO Applications SELECT s.id, a.SourceId, a.ExternalRef || '-' || s.n, a.RequestHash, a.ReceivedAt - {shift},
              lower(hex(randomblob(32))), lower(hex(randomblob(32))), a.Status, a.DecidedAt - {shift}, a.Version, a.BureauScore, a.City,
              a.DeviceId, a.Employment, a.ExistingMonthlyDebt, a.FullName, a.IpAddress, a.MonthlyIncome, a.NationalId, a.Phone,
              a.ProvinceCode, a.Purpose, a.RequestedAmount, a.TermMonths, a.ConsentCreditCheck, a.ConsentMarketing, a.ConsentShareWithLenders, a.ConsentText,
              a.HasFraudSignals, a.RoutedLenderId, a.PersonalDataErasedAt, a.UnmatchedCause, lower(hex(randomblob(32))), a.IpHash
              FROM seq s JOIN Applications a ON a.Id = s.tmpl;
            INSERT INTO Assessments SELECT s.assessment, s.id, r.ScorecardVersion, r.Score, r.Tier, r.ReasonCodes,
              r.Signals, r.Decision, r.DecisionRecordJson, r.AssessedAt - {shift} FROM seq s JOIN Assessments r ON r.ApplicationId = s.tmpl;
            INSERT INTO Allocations SELECT s.allocation, s.id, x.LenderId, x.ProductId, x.SourceId, x.Strategy,
              x.AllocatedAt - {shift}, x.BusinessDay, x.ExpectedCommission, x.CandidatesJson, x.Status, x.FundedAmount,
              x.DeliveryId, x.FeedSequence + s.n * 1000000, x.LenderRef, x.RedirectUrl, x.Commission, x.MinutesToApproval
              FROM seq s JOIN Allocations x ON x.ApplicationId = s.tmpl;
            {LoanHub.Web.Data.Counters.DailyCountChanges.RecountSql}
            ANALYZE
            """;
        await RunScriptAsync(databasePath, sql);
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

    internal static object Applicant(int n)
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

    private static string NationalId(int n)
    {
        var first17 = $"310104{new DateOnly(1980, 1, 1).AddDays(n * 37):yyyyMMdd}{n % 1000:D3}";
        return first17 + ResidentId.CheckCharacterOf(first17);
    }
}
