using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Delivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AutoPausedReason",
                table: "Lenders",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Delivery",
                table: "Lenders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeliverySecret",
                table: "Lenders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnmatchedCause",
                table: "Applications",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DeliveryId",
                table: "Allocations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FeedSequence",
                table: "Allocations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "LenderRef",
                table: "Allocations",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RedirectUrl",
                table: "Allocations",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeliveryAttempts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LenderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WithPrecheck = table.Column<bool>(type: "INTEGER", nullable: false),
                    ExpectedCommission = table.Column<long>(type: "INTEGER", nullable: false),
                    PrecheckResult = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    PrecheckLatencyMs = table.Column<int>(type: "INTEGER", nullable: true),
                    Price = table.Column<long>(type: "INTEGER", nullable: true),
                    PostResult = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    PostLatencyMs = table.Column<int>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    LenderRef = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RedirectUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeliveryAttempts_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DeliveryAttempts_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            // Leads allocated before the pull feed existed join it in the order they were allocated.
            migrationBuilder.Sql(
                "UPDATE Allocations SET FeedSequence = r.n FROM (SELECT Id, ROW_NUMBER() OVER (ORDER BY AllocatedAt, Id) AS n FROM Allocations) AS r WHERE Allocations.Id = r.Id;");

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_LenderId_FeedSequence",
                table: "Allocations",
                columns: new[] { "LenderId", "FeedSequence" });

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_ApplicationId_Sequence",
                table: "DeliveryAttempts",
                columns: new[] { "ApplicationId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_LenderId_CreatedAt",
                table: "DeliveryAttempts",
                columns: new[] { "LenderId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_Outcome_CreatedAt",
                table: "DeliveryAttempts",
                columns: new[] { "Outcome", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_ProductId",
                table: "DeliveryAttempts",
                column: "ProductId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeliveryAttempts");

            migrationBuilder.DropIndex(
                name: "IX_Allocations_LenderId_FeedSequence",
                table: "Allocations");

            migrationBuilder.DropColumn(
                name: "AutoPausedReason",
                table: "Lenders");

            migrationBuilder.DropColumn(
                name: "Delivery",
                table: "Lenders");

            migrationBuilder.DropColumn(
                name: "DeliverySecret",
                table: "Lenders");

            migrationBuilder.DropColumn(
                name: "UnmatchedCause",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "DeliveryId",
                table: "Allocations");

            migrationBuilder.DropColumn(
                name: "FeedSequence",
                table: "Allocations");

            migrationBuilder.DropColumn(
                name: "LenderRef",
                table: "Allocations");

            migrationBuilder.DropColumn(
                name: "RedirectUrl",
                table: "Allocations");
        }
    }
}
