using System.Net;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web;

public class FoundationTests : IClassFixture<LoanHubHost>
{
    private readonly LoanHubHost host;

    public FoundationTests(LoanHubHost host)
    {
        this.host = host;
        _ = host.Server; // start it: migrations and seeding run at start-up
    }

    [Fact]
    public async Task Migrations_are_applied_at_start()
    {
        var (applied, pending) = await host.Services.GetRequiredService<StoreSchema>().MigrationsAsync(CancellationToken.None);
        Assert.Empty(pending);
        Assert.NotEmpty(applied);
    }

    [SqliteFact("WAL is a SQLite journal mode")]
    public async Task Store_runs_in_WAL_mode()
    {
        await using var db = host.CreateDbContext();
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", mode.Single());
    }

    [Fact]
    public async Task Healthz_answers_200_without_signing_in()
    {
        var response = await host.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/users")]
    public async Task Anonymous_request_to_a_console_page_is_sent_to_login(string path)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_page_has_labelled_email_and_password_fields()
    {
        var html = await host.CreateClient().GetStringAsync("/Account/Login");
        Assert.Contains("<label for=\"email\">Email</label>", html);
        Assert.Contains("<label for=\"password\">Password</label>", html);
    }

    [Fact]
    public async Task Seed_file_creates_sources_lenders_and_products()
    {
        var document = ConfigurationDocument.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile));
        await using var db = host.CreateDbContext();
        Assert.Equal(document.Sources.Count, await db.Sources.CountAsync());
        Assert.Equal(document.Lenders.Count, await db.Lenders.CountAsync());
        Assert.Equal(document.Lenders.Sum(l => l.Products!.Count), await db.Products.CountAsync());
    }

    [Fact]
    public async Task Api_keys_are_stored_hashed_never_in_clear()
    {
        var document = ConfigurationDocument.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile));
        var keys = document.Sources.Select(s => s.ApiKey!).Concat(document.Lenders.Select(l => l.ApiKey!)).ToList();

        await using var db = host.CreateDbContext();
        var source = await db.Sources.SingleAsync(s => s.Code == document.Sources[0].Code);
        Assert.Equal(ApiKeys.Hash(document.Sources[0].ApiKey!), source.ApiKeyHash);

        // Nothing in the database files (main file and write-ahead log) holds a key in clear.
        var content = await StoreFiles.ReadAllAsTextAsync(host.DatabasePath);
        Assert.All(keys, key => Assert.DoesNotContain(key, content));
    }

    [Fact]
    public async Task First_start_creates_the_configured_admin()
    {
        await using var db = host.CreateDbContext();
        var admin = await db.Users.SingleAsync(u => u.Email == LoanHubHost.AdminEmail);
        var adminRole = await db.Roles.SingleAsync(r => r.Name == Roles.Admin);
        Assert.True(await db.UserRoles.AnyAsync(r => r.UserId == admin.Id && r.RoleId == adminRole.Id));
        Assert.Equal(Roles.All.Count, await db.Roles.CountAsync());
    }
}

public class SeedingIdempotenceTests
{
    [Fact]
    public async Task Second_start_with_the_same_file_changes_nothing()
    {
        var path = LoanHubHost.NewDatabasePath();
        (int Audit, int Versions, string Lenders) first;
        using (var host = LoanHubHost.OnDatabase(path))
        {
            _ = host.Server;
            first = await SnapshotAsync(host);
        }
        using (var again = LoanHubHost.OnDatabase(path))
        {
            _ = again.Server;
            var second = await SnapshotAsync(again);
            Assert.Equal(first, second);
            Assert.True(first.Audit > 0, "the first start should have recorded what it created");
        }
    }

    [Fact]
    public async Task Changed_file_updates_only_what_differs_and_audits_it()
    {
        using var host = new LoanHubHost();
        _ = host.Server;
        var importer = host.Services.GetRequiredService<ConfigurationImporter>();
        var document = ConfigurationDocument.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile));
        var lender = document.Lenders[0];
        var product = lender.Products![0] with { Weight = lender.Products[0].Weight + 5 };
        var changed = document with { Lenders = [lender with { Products = [product, .. lender.Products.Skip(1)] }, .. document.Lenders.Skip(1)] };

        var summary = await importer.ApplyAsync(changed, "test");

        // A weight is the routing policy's: the change is a new policy version, not a product update.
        Assert.Equal((0, 0, 2), (summary.Created, summary.Updated, summary.PolicyVersion));
        await using var db = host.CreateDbContext();
        var stored = await db.Products.SingleAsync(p => p.Code == product.Code);
        Assert.Equal(product.Weight, stored.Limits.Weight);
        Assert.Equal(1, stored.Version);
        var audit = await db.Audit.SingleAsync(a => a.Action == "Policy imported" && a.EntityId == "2" && a.Actor == "test");
        Assert.Contains(product.Code, audit.After);
    }

    [Fact]
    public async Task Invalid_product_in_a_file_is_refused_with_its_code_and_nothing_is_stored()
    {
        using var host = new LoanHubHost();
        _ = host.Server;
        var importer = host.Services.GetRequiredService<ConfigurationImporter>();
        var document = ConfigurationDocument.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile));
        var lender = document.Lenders[0];
        var bad = lender.Products![0] with { Code = "NEW-BAD", MinAmount = 90_000m, MaxAmount = 1_000m };
        var withBad = document with { Sources = [.. document.Sources, new SourceDocument("NEWSRC", "New source", "new-source-key-0123456789")],
            Lenders = [lender with { Products = [.. lender.Products, bad] }] };

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => importer.ApplyAsync(withBad, "test"));

        Assert.Contains("NEW-BAD", error.Message);
        await using var db = host.CreateDbContext();
        Assert.False(await db.Products.AnyAsync(p => p.Code == "NEW-BAD"));
        Assert.False(await db.Sources.AnyAsync(s => s.Code == "NEWSRC"));
    }

    private static async Task<(int, int, string)> SnapshotAsync(LoanHubHost host)
    {
        await using var db = host.CreateDbContext();
        var lenders = await db.Lenders.Include(l => l.Products).OrderBy(l => l.Code).ToListAsync();
        var description = string.Join(";", lenders.SelectMany(l => l.Products.Select(p => $"{l.Code}/{p.Code}/{p.Limits.Weight}/{p.Version}")));
        return (await db.Audit.CountAsync(), lenders.Sum(l => l.Version) + await db.Sources.SumAsync(s => s.Version), description);
    }
}

public class ConcurrencyTests : IClassFixture<LoanHubHost>
{
    private readonly LoanHubHost host;

    public ConcurrencyTests(LoanHubHost host)
    {
        this.host = host;
        _ = host.Server;
    }

    [Fact]
    public async Task Second_save_of_a_product_edited_by_two_operators_is_a_conflict()
    {
        await using var first = host.CreateDbContext();
        await using var second = host.CreateDbContext();
        var a = await first.Products.OrderBy(p => p.Code).FirstAsync();
        var b = await second.Products.SingleAsync(p => p.Id == a.Id);

        a.Pause();
        await first.SaveChangesAsync();
        b.Update("Renamed by the second operator", b.Type, b.Criteria, b.Commission);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }
}
