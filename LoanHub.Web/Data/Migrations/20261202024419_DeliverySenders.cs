using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliverySenders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Sender",
                table: "DeliveryAttempts",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "WriterInstances",
                columns: table => new
                {
                    Instance = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WriterInstances", x => x.Instance);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WriterInstances");

            migrationBuilder.DropColumn(
                name: "Sender",
                table: "DeliveryAttempts");
        }
    }
}
