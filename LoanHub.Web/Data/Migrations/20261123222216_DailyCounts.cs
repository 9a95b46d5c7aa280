using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DailyCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Applications_Dashboard",
                table: "Applications");

            migrationBuilder.CreateTable(
                name: "DailyApplicationCounts",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Applicants = table.Column<int>(type: "INTEGER", nullable: false),
                    Flagged = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyApplicationCounts", x => new { x.Day, x.SourceId, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "DailyLenderCounts",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LenderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Leads = table.Column<int>(type: "INTEGER", nullable: false),
                    Commission = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyLenderCounts", x => new { x.Day, x.LenderId });
                });

            // What the store held before the counters existed, counted once; from here on every save keeps them.
            // Days as BusinessDay computes them: UTC ticks to Unix seconds, plus eight hours (China Standard Time).
            // Written out here, not shared with the application's recount, so this migration never changes.
            migrationBuilder.Sql("""
                INSERT INTO "DailyApplicationCounts" ("Day", "SourceId", "Status", "Applicants", "Flagged")
                SELECT date(("ReceivedAt" - 621355968000000000) / 10000000 + 28800, 'unixepoch'), "SourceId", "Status",
                       COUNT(*), SUM("HasFraudSignals")
                FROM "Applications"
                GROUP BY 1, 2, 3;
                INSERT INTO "DailyLenderCounts" ("Day", "LenderId", "Leads", "Commission")
                SELECT "Day", "LenderId", SUM("Leads"), SUM("Commission") FROM (
                    SELECT date(("AllocatedAt" - 621355968000000000) / 10000000 + 28800, 'unixepoch') AS "Day", "LenderId",
                           1 AS "Leads", 0 AS "Commission"
                    FROM "Allocations"
                    UNION ALL
                    SELECT date(("OccurredAt" - 621355968000000000) / 10000000 + 28800, 'unixepoch'), "LenderId", 0, "Amount"
                    FROM "CommissionLedger")
                GROUP BY "Day", "LenderId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyApplicationCounts");

            migrationBuilder.DropTable(
                name: "DailyLenderCounts");

            migrationBuilder.CreateIndex(
                name: "IX_Applications_Dashboard",
                table: "Applications",
                columns: new[] { "ReceivedAt", "Status", "SourceId", "HasFraudSignals" });
        }
    }
}
