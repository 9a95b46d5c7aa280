using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AllocationCommission : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Commission",
                table: "Allocations",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // Backfill: allocations made before the column existed take their product's current contract. That is the
            // best the store knows (a contract changed since their delivery is not recorded anywhere else); from now on
            // each allocation keeps the contract it was delivered under. Both columns are written by the same
            // converter (CommissionColumn), so the text is copied as it is.
            migrationBuilder.Sql("""
                UPDATE "Allocations" SET "Commission" =
                    (SELECT "Commission" FROM "Products" WHERE "Products"."Id" = "Allocations"."ProductId");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Commission",
                table: "Allocations");
        }
    }
}
