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
            migrationBuilder.CreateIndex(
                name: "IX_Assessments_Signals",
                table: "Assessments",
                columns: new[] { "ApplicationId", "Signals" });

            migrationBuilder.CreateIndex(
                name: "IX_Applications_Dashboard",
                table: "Applications",
                columns: new[] { "ReceivedAt", "Status", "SourceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_AllocatedAt_LenderId",
                table: "Allocations",
                columns: new[] { "AllocatedAt", "LenderId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assessments_Signals",
                table: "Assessments");

            migrationBuilder.DropIndex(
                name: "IX_Applications_Dashboard",
                table: "Applications");

            migrationBuilder.DropIndex(
                name: "IX_Allocations_AllocatedAt_LenderId",
                table: "Allocations");
        }
    }
}
