using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations.Postgres
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
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "WriterInstances",
                columns: table => new
                {
                    Instance = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    SeenAt = table.Column<long>(type: "bigint", nullable: false)
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
