using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class EncryptedDeviceAndIp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeviceHash",
                table: "Applications",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "IpHash",
                table: "Applications",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Applications erased before the source's reference and the body's hash were erased too lose them now.
            migrationBuilder.Sql("""
                UPDATE "Applications" SET "ExternalRef" = 'erased:' || lower("Id"), "RequestHash" = ''
                WHERE "PersonalDataErasedAt" IS NOT NULL AND "ExternalRef" NOT LIKE 'erased:%';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DeviceHash",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "IpHash",
                table: "Applications");
        }
    }
}
