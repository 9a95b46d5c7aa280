using LoanHub.Web.Data.Configuration;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class WhatIfReplayIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "TurnedAwayForLimit",
                table: "Assessments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Decisions made before the column existed: the same test the assessment applies when it records.
            migrationBuilder.Sql(
                "UPDATE \"Assessments\" SET \"TurnedAwayForLimit\" = 1 " +
                "WHERE instr(\"DecisionRecordJson\", 'DAILY_CAP') > 0 OR instr(\"DecisionRecordJson\", 'MONTHLY_BUDGET') > 0");

            // Owned columns cannot be indexed with their owner's through the model: see LoanApplicationConfiguration.ReplayIndex.
            migrationBuilder.Sql(LoanApplicationConfiguration.ReplayIndex);

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_Replay",
                table: "DeliveryAttempts",
                columns: new[] { "CreatedAt", "ApplicationId", "ProductId" });

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_Replay",
                table: "Assessments",
                columns: new[] { "ApplicationId", "Decision", "Score", "Tier", "ApplicantAge", "CatalogVersionId", "TurnedAwayForLimit" });

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_Replay",
                table: "Allocations",
                columns: new[] { "AllocatedAt", "ApplicationId", "ProductId", "BusinessDay", "ExpectedCommission", "DeliveryId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Applications_Replay\"");

            migrationBuilder.DropIndex(
                name: "IX_DeliveryAttempts_Replay",
                table: "DeliveryAttempts");

            migrationBuilder.DropIndex(
                name: "IX_Assessments_Replay",
                table: "Assessments");

            migrationBuilder.DropIndex(
                name: "IX_Allocations_Replay",
                table: "Allocations");

            migrationBuilder.DropColumn(
                name: "TurnedAwayForLimit",
                table: "Assessments");
        }
    }
}
