using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Tests.Web;

/// <summary>Choosing the store's database (<c>LoanHub:Database:Provider</c>) and starting on it.</summary>
public class StoreProviderTests
{
    [Fact]
    public void An_unknown_provider_stops_the_start_naming_the_setting_and_the_choices()
    {
        using var host = new LoanHubHost();
        host.Settings[StoreConnection.ProviderKey] = "Oracle";

        var thrown = Assert.ThrowsAny<Exception>(() => host.Server);

        Assert.Contains("LoanHub:Database:Provider is 'Oracle'; it must be Sqlite (the default) or Postgres.", thrown.ToString());
    }

    [PostgresFact("several instances share one PostgreSQL database; a SQLite file has one process")]
    public async Task Instances_starting_together_on_one_database_migrate_and_seed_it_as_one_start_would()
    {
        using var alone = new LoanHubHost();
        _ = alone.Server;
        var once = await SeededAsync(alone);

        var store = LoanHubHost.NewDatabasePath();
        var instances = Enumerable.Range(0, 3).Select(_ => LoanHubHost.OnDatabase(store)).ToList();
        try
        {
            await Task.WhenAll(instances.Select(instance => Task.Run(() => _ = instance.Server)));

            Assert.Equal(once, await SeededAsync(instances[0]));
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }
    }

    // What the seeding makes: the admin, roles, sources, lenders, products, first policy versions and their audit.
    private static async Task<(int Users, int Roles, int Sources, int Lenders, int Products, int RoutingVersions, int RiskVersions, int Audit)> SeededAsync(LoanHubHost host)
    {
        await using var db = host.CreateDbContext();
        return (await db.Users.CountAsync(), await db.Roles.CountAsync(), await db.Sources.CountAsync(), await db.Lenders.CountAsync(),
            await db.Products.CountAsync(), await db.RoutingPolicies.CountAsync(), await db.RiskPolicies.CountAsync(), await db.Audit.CountAsync());
    }
}
