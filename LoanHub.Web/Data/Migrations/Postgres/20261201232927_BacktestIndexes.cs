using LoanHub.Web.Data.Configuration;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BacktestIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assessments_Replay",
                table: "Assessments");

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_Replay",
                table: "Assessments",
                columns: new[] { "ApplicationId", "Decision", "Score", "Tier", "ApplicantAge", "CatalogVersionId", "TurnedAwayForLimit", "Signals" });

            // Owned columns cannot be indexed with their owner's through the model: see LoanApplicationConfiguration.BacktestIndex.
            migrationBuilder.Sql(LoanApplicationConfiguration.BacktestIndex);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Applications_Backtest\"");

            migrationBuilder.DropIndex(
                name: "IX_Assessments_Replay",
                table: "Assessments");

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_Replay",
                table: "Assessments",
                columns: new[] { "ApplicationId", "Decision", "Score", "Tier", "ApplicantAge", "CatalogVersionId", "TurnedAwayForLimit" });
        }
    }
}
