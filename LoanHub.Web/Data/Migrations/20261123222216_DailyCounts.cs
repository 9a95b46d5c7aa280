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
            migrationBuilder.Sql(LoanHub.Web.Data.Counters.DailyCountChanges.RecountSql);
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
