using System.Security.Claims;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Lenders;

/// <summary>The lenders service over the real application; each test works on lenders and products of its own.</summary>
public sealed class LenderCatalogServiceTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private static readonly ClaimsPrincipal Manager = As("ops@test.local", Roles.OperationsManager);
    private static readonly ClaimsPrincipal Analyst = As("analyst@test.local", Roles.Analyst);

    private static ClaimsPrincipal As(string email, string role) => TestUsers.Principal(email, role);

    private async Task<T> WithCatalogAsync<T>(Func<LenderCatalogService, Task<T>> use)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<LenderCatalogService>());
    }

    private async Task<LenderRow> LenderAsync(string code) =>
        (await WithCatalogAsync(c => c.ListAsync())).Single(l => l.Code == code);

    private async Task<(LenderRow Lender, ProductRow Product)> NewProductAsync(string lenderCode, string productCode)
    {
        var created = await WithCatalogAsync(c => c.CreateLenderAsync(Manager, lenderCode, $"Lender {lenderCode}"));
        Assert.True(created.Succeeded, created.Message);
        var form = ProductForm.NewFor(await LenderAsync(lenderCode));
        form.Code = productCode;
        form.Name = "Test loan";
        form.CommissionAmount = 25m;
        var saved = await WithCatalogAsync(c => c.SaveProductAsync(Manager, form));
        Assert.True(saved.Succeeded, saved.Message);
        var lender = await LenderAsync(lenderCode);
        return (lender, lender.Products.Single());
    }

    [Fact]
    public async Task New_lender_gets_a_key_shown_once_and_stored_only_as_its_hash()
    {
        var result = await WithCatalogAsync(c => c.CreateLenderAsync(Manager, "T-NEW", "New Lender"));

        Assert.True(result.Succeeded, result.Message);
        Assert.NotNull(result.ApiKey);
        await using var db = host.CreateDbContext();
        var lender = await db.Lenders.SingleAsync(l => l.Code == "T-NEW");
        Assert.Equal(ApiKeys.Hash(result.ApiKey!), lender.ApiKeyHash);
        Assert.NotEqual(result.ApiKey, lender.ApiKeyHash);
        var audit = await db.Audit.SingleAsync(a => a.EntityId == "T-NEW" && a.Action == "Lender created");
        Assert.Equal("ops@test.local", audit.Actor);
        Assert.Equal("Lenders", audit.Area);
        Assert.DoesNotContain(result.ApiKey!, audit.After);

        var duplicate = await WithCatalogAsync(c => c.CreateLenderAsync(Manager, "t-new", "Again"));
        Assert.Equal(CatalogStatus.Invalid, duplicate.Status);
    }

    [Fact]
    public async Task Rotating_a_key_replaces_the_hash_and_returns_the_new_key()
    {
        var created = await WithCatalogAsync(c => c.CreateLenderAsync(Manager, "T-ROT", "Rotating Lender"));
        var lender = await LenderAsync("T-ROT");

        var rotated = await WithCatalogAsync(c => c.RotateApiKeyAsync(Manager, lender.Id));

        Assert.True(rotated.Succeeded);
        Assert.NotEqual(created.ApiKey, rotated.ApiKey);
        await using var db = host.CreateDbContext();
        Assert.Equal(ApiKeys.Hash(rotated.ApiKey!), (await db.Lenders.SingleAsync(l => l.Code == "T-ROT")).ApiKeyHash);
        Assert.True(await db.Audit.AnyAsync(a => a.EntityId == "T-ROT" && a.Action == "Lender API key rotated"));
    }

    [Fact]
    public async Task Lender_is_renamed_once_and_a_rename_from_a_stale_copy_is_a_conflict()
    {
        await WithCatalogAsync(c => c.CreateLenderAsync(Manager, "T-NAME", "Old Name Bank"));
        var seen = await LenderAsync("T-NAME");

        var renamed = await WithCatalogAsync(c => c.RenameLenderAsync(Manager, seen.Id, "  New Name Bank ", seen.Version));
        var stale = await WithCatalogAsync(c => c.RenameLenderAsync(Manager, seen.Id, "Other Name Bank", seen.Version));

        Assert.True(renamed.Succeeded, renamed.Message);
        Assert.Equal(CatalogStatus.Conflict, stale.Status);
        Assert.Equal("New Name Bank", (await LenderAsync("T-NAME")).Name);
        Assert.Equal(CatalogStatus.Forbidden, (await WithCatalogAsync(c => c.RenameLenderAsync(Analyst, seen.Id, "No", seen.Version + 1))).Status);
        await using var db = host.CreateDbContext();
        var audit = await db.Audit.SingleAsync(a => a.EntityId == "T-NAME" && a.Action == "Lender renamed");
        Assert.Contains("Old Name Bank", audit.Before);
        Assert.Contains("New Name Bank", audit.After);
    }

    [Fact]
    public async Task Product_edit_is_saved_with_a_new_version_and_audited_before_and_after()
    {
        var (lender, product) = await NewProductAsync("T-EDIT", "T-EDIT-CASH");
        var form = ProductForm.From(product, lender.Code);
        form.Provinces = ["44", "31"];
        form.CommissionModel = CommissionModel.CPS;
        form.CommissionRate = 0.025m;

        var result = await WithCatalogAsync(c => c.SaveProductAsync(Manager, form));

        Assert.True(result.Succeeded, result.Message);
        await using var db = host.CreateDbContext();
        var stored = await db.Products.SingleAsync(p => p.Code == "T-EDIT-CASH");
        Assert.Equal(["31", "44"], stored.Criteria.Provinces);
        Assert.Equal(CommissionContract.PerSale(0.025m), stored.Commission);
        Assert.Equal(product.Version + 1, stored.Version);
        var audit = await db.Audit.SingleAsync(a => a.EntityId == "T-EDIT-CASH" && a.Action == "Product updated");
        Assert.StartsWith("CPL", CommissionIn(audit.Before));
        Assert.StartsWith("CPS", CommissionIn(audit.After));
    }

    [Fact]
    public async Task Product_dialog_changes_no_routing_setting_and_a_new_product_takes_no_leads_until_the_policy_gives_it_a_weight()
    {
        var (lender, product) = await NewProductAsync("T-DRAIN", "T-DRAIN-CASH");
        Assert.Equal(ProductLimits.Drained, product.Limits);
        var form = ProductForm.From(product, lender.Code);
        Assert.Equal(ProductLimits.Drained, form.Routing);
        int versionBefore;
        await using (var db = host.CreateDbContext()) versionBefore = await db.RoutingPolicies.MaxAsync(p => p.Version);
        form.Name = "Renamed loan";

        Assert.True((await WithCatalogAsync(c => c.SaveProductAsync(Manager, form))).Succeeded);

        await using var after = host.CreateDbContext();
        Assert.Equal(versionBefore, await after.RoutingPolicies.MaxAsync(p => p.Version));
        Assert.Equal(ProductLimits.Drained, (await after.Products.SingleAsync(p => p.Code == "T-DRAIN-CASH")).Limits);
    }

    /// <summary>The commission in an audited product picture.</summary>
    private static string CommissionIn(string? auditJson)
    {
        using var picture = JsonDocument.Parse(auditJson!);
        return picture.RootElement.GetProperty("commission").GetString()!;
    }

    [Fact]
    public async Task Product_breaking_a_domain_rule_is_refused_with_the_domain_message_and_nothing_changes()
    {
        var (lender, product) = await NewProductAsync("T-BAD", "T-BAD-CASH");
        var form = ProductForm.From(product, lender.Code);
        form.MinAmount = 60_000m;
        form.MaxAmount = 50_000m;

        var result = await WithCatalogAsync(c => c.SaveProductAsync(Manager, form));

        Assert.Equal(CatalogStatus.Invalid, result.Status);
        Assert.Equal("The amount range needs 0 < minimum ≤ maximum.", result.Message);
        await using var db = host.CreateDbContext();
        var stored = await db.Products.SingleAsync(p => p.Code == "T-BAD-CASH");
        Assert.Equal(1_000m, stored.Criteria.MinAmount);
        Assert.Equal(product.Version, stored.Version);
        Assert.False(await db.Audit.AnyAsync(a => a.EntityId == "T-BAD-CASH" && a.Action == "Product updated"));
    }

    [Fact]
    public async Task Second_operator_saving_a_stale_copy_gets_a_conflict_and_the_first_edit_stays()
    {
        var (lender, product) = await NewProductAsync("T-CONC", "T-CONC-CASH");
        var first = ProductForm.From(product, lender.Code);
        var second = ProductForm.From(product, lender.Code);
        first.Name = "First operator's name";
        second.Name = "Second operator's name";

        var firstResult = await WithCatalogAsync(c => c.SaveProductAsync(Manager, first));
        var secondResult = await WithCatalogAsync(c => c.SaveProductAsync(As("other@test.local", Roles.Admin), second));

        Assert.True(firstResult.Succeeded, firstResult.Message);
        Assert.Equal(CatalogStatus.Conflict, secondResult.Status);
        Assert.Contains("changed by someone else since you opened it", secondResult.Message);
        await using var db = host.CreateDbContext();
        Assert.Equal("First operator's name", (await db.Products.SingleAsync(p => p.Code == "T-CONC-CASH")).Name);
        Assert.Equal(1, await db.Audit.CountAsync(a => a.EntityId == "T-CONC-CASH" && a.Action == "Product updated"));
    }

    [Fact]
    public async Task Analyst_is_refused_every_change_on_the_server()
    {
        var (lender, product) = await NewProductAsync("T-RO", "T-RO-CASH");
        var form = ProductForm.From(product, lender.Code);
        form.Name = "Not allowed";
        var export = ConfigurationDocument.Parse(System.Text.Encoding.UTF8.GetString(await WithCatalogAsync(c => c.ExportJsonAsync())));

        var results = new[]
        {
            await WithCatalogAsync(c => c.CreateLenderAsync(Analyst, "T-RO2", "Not allowed")),
            await WithCatalogAsync(c => c.RotateApiKeyAsync(Analyst, lender.Id)),
            await WithCatalogAsync(c => c.SetLenderActiveAsync(Analyst, lender.Id, false)),
            await WithCatalogAsync(c => c.SetProductActiveAsync(Analyst, product.Id, false)),
            await WithCatalogAsync(c => c.SaveProductAsync(Analyst, form)),
            await WithCatalogAsync(c => c.ImportAsync(Analyst, export, "not allowed")),
        };

        Assert.All(results, r => Assert.Equal(CatalogStatus.Forbidden, r.Status));
        Assert.False(await WithCatalogAsync(c => c.CanEditAsync(Analyst)));
        await using var db = host.CreateDbContext();
        Assert.False(await db.Lenders.AnyAsync(l => l.Code == "T-RO2"));
        var stored = await db.Products.SingleAsync(p => p.Code == "T-RO-CASH");
        Assert.True(stored.IsActive);
        Assert.Equal(product.Version, stored.Version);
        Assert.False(await db.Audit.AnyAsync(a => a.Actor == "analyst@test.local"));
    }

    [Fact]
    public async Task Paused_product_is_audited_and_resumed_again()
    {
        var (_, product) = await NewProductAsync("T-PAUSE", "T-PAUSE-CASH");

        var paused = await WithCatalogAsync(c => c.SetProductActiveAsync(Manager, product.Id, false));
        var whilePaused = (await LenderAsync("T-PAUSE")).Products.Single();
        var resumed = await WithCatalogAsync(c => c.SetProductActiveAsync(Manager, product.Id, true));

        Assert.True(paused.Succeeded && resumed.Succeeded);
        Assert.False(whilePaused.IsActive);
        Assert.True((await LenderAsync("T-PAUSE")).Products.Single().IsActive);
        await using var db = host.CreateDbContext();
        Assert.Equal(["Product paused", "Product resumed"],
            await db.Audit.Where(a => a.EntityId == "T-PAUSE-CASH" && a.Action.StartsWith("Product ") && a.Action != "Product created")
                .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Exported_configuration_imported_again_changes_nothing()
    {
        await NewProductAsync("T-TRIP", "T-TRIP-CASH");
        var json = await WithCatalogAsync(c => c.ExportJsonAsync());
        await using (var before = host.CreateDbContext())
        {
            var auditBefore = await before.Audit.CountAsync();
            var text = System.Text.Encoding.UTF8.GetString(json);
            Assert.DoesNotContain("apiKey", text);
            Assert.Contains("T-TRIP-CASH", text);

            var check = await WithCatalogAsync(c => c.PreviewImportAsync(Manager, new MemoryStream(json)));
            Assert.Null(check.Error);
            Assert.Empty(check.Preview!.Changes);
            var result = await WithCatalogAsync(c => c.ImportAsync(Manager, check.Document!, "round trip"));

            Assert.True(result.Succeeded, result.Message);
            Assert.Contains("nothing changed", result.Message);
            await using var after = host.CreateDbContext();
            Assert.Equal(auditBefore, await after.Audit.CountAsync());
        }
        Assert.Equal(json, await WithCatalogAsync(c => c.ExportJsonAsync()));
    }

    [Fact]
    public async Task Import_preview_lists_the_changes_and_stores_nothing_until_applied()
    {
        await NewProductAsync("T-IMP", "T-IMP-CASH");
        var document = await host.Services.GetRequiredService<ConfigurationExporter>().ExportAsync();
        var lender = document.Lenders.Single(l => l.Code == "T-IMP");
        var changed = document with
        {
            Lenders =
            [
                lender with { Products = [lender.Products!.Single() with { Weight = 55 }] },
                new LenderDocument("T-IMP2", "Imported Lender", "imported-lender-key-0001", []),
            ],
        };
        var file = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(changed, ConfigurationDocument.JsonOptions));

        var check = await WithCatalogAsync(c => c.PreviewImportAsync(Manager, file));

        Assert.Null(check.Error);
        Assert.Equal(["Policy imported", "Lender created"], check.Preview!.Changes.OrderByDescending(c => c.Action).Select(c => c.Action).ToList());
        await using (var db = host.CreateDbContext())
        {
            Assert.Equal(0, (await db.Products.SingleAsync(p => p.Code == "T-IMP-CASH")).Limits.Weight);
            Assert.False(await db.Lenders.AnyAsync(l => l.Code == "T-IMP2"));
        }

        Assert.Equal(CatalogStatus.Invalid, (await WithCatalogAsync(c => c.ImportAsync(Manager, check.Document!, " "))).Status);
        var result = await WithCatalogAsync(c => c.ImportAsync(Manager, check.Document!, "Give the imported product its weight"));

        Assert.True(result.Succeeded, result.Message);
        await using var applied = host.CreateDbContext();
        Assert.Equal(55, (await applied.Products.SingleAsync(p => p.Code == "T-IMP-CASH")).Limits.Weight);
        Assert.Equal(ApiKeys.Hash("imported-lender-key-0001"), (await applied.Lenders.SingleAsync(l => l.Code == "T-IMP2")).ApiKeyHash);
        var version = await applied.RoutingPolicies.SingleAsync(p => p.IsActive);
        Assert.Equal("Give the imported product its weight", version.Comment);
        Assert.True(await applied.Audit.AnyAsync(a => a.EntityId == version.Version.ToString() && a.Action == "Policy imported" && a.Actor == "ops@test.local"));
    }

    [Fact]
    public async Task Import_of_a_new_lender_without_a_key_names_the_entry_and_changes_nothing()
    {
        var json = """{ "lenders": [ { "code": "T-NOKEY", "name": "No key", "products": [] } ] }""";

        var check = await WithCatalogAsync(c => c.PreviewImportAsync(Manager, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Equal("lender T-NOKEY: A new entry needs an API key of at least 16 characters.", check.Error);
        await using var db = host.CreateDbContext();
        Assert.False(await db.Lenders.AnyAsync(l => l.Code == "T-NOKEY"));
    }

    [Fact]
    public async Task List_counts_todays_leads_per_product()
    {
        var client = host.CreateClient();
        var response = await PostAsync(client, ValidBody(nationalId: NationalId(400_001)));
        var routedTo = (await ReadAsync(response))["routedTo"]!["productCode"]!.GetValue<string>();

        var lenders = await WithCatalogAsync(c => c.ListAsync());

        var product = lenders.SelectMany(l => l.Products).Single(p => p.Code == routedTo);
        Assert.True(product.LeadsToday >= 1);
        await using var db = host.CreateDbContext();
        Assert.Equal(await db.Allocations.CountAsync(a => a.ProductId == product.Id), product.LeadsToday);
    }
}

/// <summary>Pausing changes routing at once: the engine rebuilds its catalog after every change.</summary>
public sealed class LenderPauseRoutingTests
{
    [Fact]
    public async Task Paused_lenders_get_no_further_leads()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        var first = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(400_100))));
        Assert.Equal("Routed", first["status"]!.GetValue<string>()); // the engine has loaded its catalog

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var catalog = scope.ServiceProvider.GetRequiredService<LenderCatalogService>();
            var manager = TestUsers.Principal("ops@test.local", Roles.OperationsManager);
            foreach (var lender in await catalog.ListAsync())
            {
                Assert.True((await catalog.SetLenderActiveAsync(manager, lender.Id, false)).Succeeded);
            }
        }

        var second = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(400_101))));
        Assert.Equal("Unmatched", second["status"]!.GetValue<string>());
    }
}
