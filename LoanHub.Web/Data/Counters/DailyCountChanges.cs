using System.Text;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LoanHub.Web.Data.Counters;

/// <summary>
/// What one save does to the daily counts: read from the change tracker before the save (while original
/// values are still known) and written by <see cref="ApplyAsync"/> in the same transaction, as increments
/// (<c>INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n</c>), so concurrent savers never lose each other's counts.
/// Every path that changes an application, an allocation or the ledger goes through <c>SaveChanges</c>, so none
/// of them has to remember the counters.
/// </summary>
internal sealed class DailyCountChanges
{
    private readonly Dictionary<(DateOnly Day, SourceId Source, ApplicationStatus Status), (int Applicants, int Flagged)> applications = [];
    private readonly Dictionary<(DateOnly Day, LenderId Lender), (int Leads, decimal Commission)> lenders = [];

    public bool IsEmpty => applications.Count == 0 && lenders.Count == 0;

    /// <param name="entries">The save's tracked entries, read once by the caller (each read of the tracker scans for changes).</param>
    public static DailyCountChanges Collect(IEnumerable<EntityEntry> entries)
    {
        var changes = new DailyCountChanges();
        foreach (var entry in entries)
        {
            var sign = entry.State switch { EntityState.Added => 1, EntityState.Deleted => -1, _ => 0 };
            switch (entry.Entity)
            {
                case LoanApplication application:
                    if (entry.State is EntityState.Modified or EntityState.Deleted) changes.Count(Original(entry), -1);
                    if (entry.State is EntityState.Modified or EntityState.Added) changes.Count(application, +1);
                    break;
                case Allocation allocation when sign != 0:
                    changes.Lender(BusinessDay.Of(allocation.AllocatedAt), allocation.LenderId, sign, 0m);
                    break;
                case CommissionEntry ledger when sign != 0:
                    changes.Lender(BusinessDay.Of(ledger.OccurredAt), ledger.LenderId, 0, sign * ledger.Amount);
                    break;
            }
        }
        changes.DropNetZero();
        return changes;
    }

    private static (DateTimeOffset ReceivedAt, SourceId Source, ApplicationStatus Status, bool Flagged) Original(EntityEntry entry) => (
        (DateTimeOffset)entry.Property(nameof(LoanApplication.ReceivedAt)).OriginalValue!,
        (SourceId)entry.Property(nameof(LoanApplication.SourceId)).OriginalValue!,
        (ApplicationStatus)entry.Property(nameof(LoanApplication.Status)).OriginalValue!,
        (bool)entry.Property(nameof(LoanApplication.HasFraudSignals)).OriginalValue!);

    private void Count(LoanApplication application, int sign) =>
        Count((application.ReceivedAt, application.SourceId, application.Status, application.HasFraudSignals), sign);

    private void Count((DateTimeOffset ReceivedAt, SourceId Source, ApplicationStatus Status, bool Flagged) application, int sign)
    {
        var key = (BusinessDay.Of(application.ReceivedAt), application.Source, application.Status);
        var (applicants, flagged) = applications.GetValueOrDefault(key);
        applications[key] = (applicants + sign, flagged + (application.Flagged ? sign : 0));
    }

    private void Lender(DateOnly day, LenderId lender, int leads, decimal commission)
    {
        var (before, earned) = lenders.GetValueOrDefault((day, lender));
        lenders[(day, lender)] = (before + leads, earned + commission);
    }

    // A modification that moved nothing (a review claimed, a version bumped) writes nothing.
    private void DropNetZero()
    {
        foreach (var key in applications.Where(x => x.Value == (0, 0)).Select(x => x.Key).ToList()) applications.Remove(key);
        foreach (var key in lenders.Where(x => x.Value == (0, 0m)).Select(x => x.Key).ToList()) lenders.Remove(key);
    }

    public async Task ApplyAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        foreach (var (sql, values) in Statements()) await database.ExecuteSqlRawAsync(sql, values, cancellationToken);
    }

    public void Apply(DatabaseFacade database)
    {
        foreach (var (sql, values) in Statements()) database.ExecuteSqlRaw(sql, values);
    }

    // At most this many rows per statement keeps every statement far below SQLite's limit on bound parameters
    // (32,766), however many days a save touches (the demo generator's outcomes span a month in one save).
    private const int RowsPerStatement = 1000;

    // Values are bound as the model maps them, which EF Core puts in each provider's form (on SQLite days as
    // yyyy-MM-dd text and GUIDs as upper-case text; on PostgreSQL date and uuid), enums by name, money in whole fen.
    // The stored row's columns are named with their table: PostgreSQL finds a bare name ambiguous beside excluded's.
    private IEnumerable<(string Sql, object[] Values)> Statements()
    {
        foreach (var rows in applications.Chunk(RowsPerStatement))
        {
            yield return (Upsert("""
                INSERT INTO "DailyApplicationCounts" ("Day", "SourceId", "Status", "Applicants", "Flagged") VALUES
                """, rows.Length, 5, """
                ON CONFLICT ("Day", "SourceId", "Status") DO UPDATE SET
                    "Applicants" = "DailyApplicationCounts"."Applicants" + excluded."Applicants",
                    "Flagged" = "DailyApplicationCounts"."Flagged" + excluded."Flagged"
                """),
                [.. rows.SelectMany(x => new object[] { x.Key.Day, x.Key.Source.Value, x.Key.Status.ToString(), x.Value.Applicants, x.Value.Flagged })]);
        }
        foreach (var rows in lenders.Chunk(RowsPerStatement))
        {
            yield return (Upsert("""
                INSERT INTO "DailyLenderCounts" ("Day", "LenderId", "Leads", "Commission") VALUES
                """, rows.Length, 4, """
                ON CONFLICT ("Day", "LenderId") DO UPDATE SET
                    "Leads" = "DailyLenderCounts"."Leads" + excluded."Leads",
                    "Commission" = "DailyLenderCounts"."Commission" + excluded."Commission"
                """),
                [.. rows.SelectMany(x => new object[] { x.Key.Day, x.Key.Lender.Value, x.Value.Leads, decimal.ToInt64(Money.Round(x.Value.Commission) * 100m) })]);
        }
    }

    private static string Upsert(string insert, int rows, int columns, string onConflict)
    {
        var sql = new StringBuilder(insert).AppendLine();
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ",(");
            for (var column = 0; column < columns; column++)
                sql.Append(column == 0 ? "" : ", ").Append('{').Append(row * columns + column).Append('}');
            sql.AppendLine(")");
        }
        return sql.Append(onConflict).ToString();
    }

    /// <summary>
    /// Counts everything again from the applications, allocations and ledger: the way a store grown outside the
    /// application (the benchmarks) gets its counters. The migration that introduced them keeps its own copy, as
    /// migrations must not change once shipped.
    /// Days are computed as in <see cref="BusinessDay"/>: UTC ticks to Unix seconds, plus eight hours. SQLite's date
    /// functions: the benchmarks build SQLite stores only.
    /// </summary>
    public const string RecountSql = """
        DELETE FROM "DailyApplicationCounts";
        INSERT INTO "DailyApplicationCounts" ("Day", "SourceId", "Status", "Applicants", "Flagged")
        SELECT date(("ReceivedAt" - 621355968000000000) / 10000000 + 28800, 'unixepoch'), "SourceId", "Status",
               COUNT(*), SUM("HasFraudSignals")
        FROM "Applications"
        GROUP BY 1, 2, 3;
        DELETE FROM "DailyLenderCounts";
        INSERT INTO "DailyLenderCounts" ("Day", "LenderId", "Leads", "Commission")
        SELECT "Day", "LenderId", SUM("Leads"), SUM("Commission") FROM (
            SELECT date(("AllocatedAt" - 621355968000000000) / 10000000 + 28800, 'unixepoch') AS "Day", "LenderId",
                   1 AS "Leads", 0 AS "Commission"
            FROM "Allocations"
            UNION ALL
            SELECT date(("OccurredAt" - 621355968000000000) / 10000000 + 28800, 'unixepoch'), "LenderId", 0, "Amount"
            FROM "CommissionLedger")
        GROUP BY "Day", "LenderId";
        """;
}
