using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HasFraudSignals",
                table: "Applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Applications stored before this column existed: flagged when their intake assessment raised a signal.
            migrationBuilder.Sql("""
                UPDATE "Applications" SET "HasFraudSignals" = 1
                WHERE "Id" IN (SELECT "ApplicationId" FROM "Assessments" WHERE "Signals" <> '[]');
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Applications_Dashboard",
                table: "Applications",
                columns: new[] { "ReceivedAt", "Status", "SourceId", "HasFraudSignals" });

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_AllocatedAt_LenderId",
                table: "Allocations",
                columns: new[] { "AllocatedAt", "LenderId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Applications_Dashboard",
                table: "Applications");

            migrationBuilder.DropIndex(
                name: "IX_Allocations_AllocatedAt_LenderId",
                table: "Allocations");

            migrationBuilder.DropColumn(
                name: "HasFraudSignals",
                table: "Applications");
        }
    }
}
