using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RoutedLender : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RoutedLenderId",
                table: "Applications",
                type: "TEXT",
                nullable: true);

            // Applications routed before the column existed: the lender of their allocation.
            migrationBuilder.Sql("""
                UPDATE "Applications" SET "RoutedLenderId" =
                    (SELECT "LenderId" FROM "Allocations" WHERE "Allocations"."ApplicationId" = "Applications"."Id")
                WHERE "Status" = 'Routed';
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Applications_RoutedLenderId_ReceivedAt",
                table: "Applications",
                columns: new[] { "RoutedLenderId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Applications_RoutedLenderId_ReceivedAt",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "RoutedLenderId",
                table: "Applications");
        }
    }
}
