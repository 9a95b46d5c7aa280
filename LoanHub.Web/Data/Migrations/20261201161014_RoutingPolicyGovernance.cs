using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanHub.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RoutingPolicyGovernance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "BasedOnVersion",
                table: "RoutingPolicies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RestoredFromVersion",
                table: "RoutingPolicies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SimulationJson",
                table: "RoutingPolicies",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BasedOnVersion",
                table: "RoutingPolicies");

            migrationBuilder.DropColumn(
                name: "RestoredFromVersion",
                table: "RoutingPolicies");

            migrationBuilder.DropColumn(
                name: "SimulationJson",
                table: "RoutingPolicies");
        }
    }
}
