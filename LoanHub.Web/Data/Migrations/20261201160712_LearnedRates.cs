using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class LearnedRates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MinutesToApproval",
                table: "Allocations",
                type: "INTEGER",
                nullable: true);

            // Approvals reported before the column existed: minutes from delivery to the approval's postback (instants are
            // UTC ticks; integer division in SQLite and PostgreSQL alike).
            migrationBuilder.Sql($"""
                UPDATE "Allocations" SET "MinutesToApproval" = (
                    SELECT CASE WHEN "o"."OccurredAt" < "Allocations"."AllocatedAt" THEN 0
                                ELSE ("o"."OccurredAt" - "Allocations"."AllocatedAt") / {TimeSpan.TicksPerMinute} END
                    FROM "Outcomes" AS "o"
                    WHERE "o"."AllocationId" = "Allocations"."Id" AND "o"."Outcome" = 'Approved')
                WHERE "Status" IN ('Approved', 'Funded');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MinutesToApproval",
                table: "Allocations");
        }
    }
}
