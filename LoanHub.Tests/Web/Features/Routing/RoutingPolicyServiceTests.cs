using System.Security.Claims;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Lenders;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>The one service every routing policy change goes through, over the real application.</summary>
public class RoutingPolicyServiceTests : IClassFixture<LoanHubHost>
{
    private static readonly ClaimsPrincipal Manager = TestUsers.Principal("ops@test.local", Roles.OperationsManager);
    private static readonly ClaimsPrincipal OtherManager = TestUsers.Principal("other.ops@test.local", Roles.OperationsManager);

    private readonly LoanHubHost host;
    private readonly RoutingService routing;
    private readonly RoutingPolicyService policies;

    public RoutingPolicyServiceTests(LoanHubHost host)
    {
        this.host = host;
        routing = host.Services.GetRequiredService<RoutingService>();
        policies = host.Services.GetRequiredService<RoutingPolicyService>();
    }

    private Task<PolicySimulation> SimulateAsync(RoutingProposal proposal) =>
        routing.SimulateAsync(proposal, DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddMinutes(1), null, CancellationToken.None);

    private async Task<SaveResult> SimulateAndSaveAsync(RoutingProposal proposal, string comment, ClaimsPrincipal? user = null) =>
        await policies.SaveAsync(proposal, await SimulateAsync(proposal), comment, user ?? Manager);

    private static RoutingProposal WithWeightOf(RoutingView view, string productCode, int weight) =>
        view.Current.WithWeight(view.Products.Single(p => p.ProductCode == productCode).ProductId, weight);

    private static int WeightOf(RoutingView view, string productCode) => view.Products.Single(p => p.ProductCode == productCode).Weight;

    [Fact]
    public async Task Save_without_a_simulation_is_refused_and_changes_nothing()
    {
        var view = await routing.LoadAsync();

        var result = await policies.SaveAsync(WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 1), null, "no simulation", Manager);

        Assert.False(result.Succeeded);
        Assert.Equal(RoutingPolicyService.SimulationRequired, result.Message);
        Assert.Equal(view.ActiveVersion, (await routing.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_without_a_comment_is_refused_and_changes_nothing()
    {
        var view = await routing.LoadAsync();
        var proposal = WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 1);

        var result = await policies.SaveAsync(proposal, await SimulateAsync(proposal), "   ", Manager);

        Assert.False(result.Succeeded);
        Assert.Equal(RoutingPolicyService.CommentRequired, result.Message);
        Assert.Equal(view.ActiveVersion, (await routing.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_of_a_proposal_other_than_the_one_simulated_is_refused()
    {
        var view = await routing.LoadAsync();
        var simulated = WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 1);
        var saved = WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 500);

        var result = await policies.SaveAsync(saved, await SimulateAsync(simulated), "slipped in a bigger change", Manager);

        Assert.False(result.Succeeded);
        Assert.Equal(RoutingPolicyService.SimulationOfAnotherProposal, result.Message);
        Assert.Equal(WeightOf(view, "L1-CASH"), WeightOf(await routing.LoadAsync(), "L1-CASH"));
    }

    [Fact]
    public async Task Receipt_rewritten_to_name_another_proposal_is_refused()
    {
        var view = await routing.LoadAsync();
        var simulated = WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 1);
        var saved = WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 500);
        var simulation = await SimulateAsync(simulated);
        var forged = simulation with { Receipt = simulation.Receipt with { Fingerprint = saved.Fingerprint } };

        var result = await policies.SaveAsync(saved, forged, "forged receipt", Manager);

        Assert.False(result.Succeeded);
        Assert.Equal(RoutingPolicyService.SimulationNotGenuine, result.Message);
        Assert.Equal(view.ActiveVersion, (await routing.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_simulated_on_a_version_that_is_no_longer_active_is_refused()
    {
        var view = await routing.LoadAsync();
        var mine = WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 2);
        var simulation = await SimulateAsync(mine);
        Assert.True((await SimulateAndSaveAsync(WithWeightOf(view, "L2-MICRO", WeightOf(view, "L2-MICRO") + 2), "the other operator first", OtherManager))
            .Succeeded);

        var stale = await policies.SaveAsync(mine, simulation, "mine, simulated before theirs", Manager);

        Assert.False(stale.Succeeded);
        Assert.Equal(RoutingPolicyService.SavedSinceSimulation, stale.Message);
        Assert.Equal<object>(["other.ops@test.local", view.ActiveVersion + 1, view.ActiveVersion], stale.Arguments);
        Assert.Equal(view.ActiveVersion + 1, (await routing.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Analyst_cannot_save_even_with_a_simulation()
    {
        var view = await routing.LoadAsync();
        var result = await SimulateAndSaveAsync(view.Current with { Strategy = RoutingStrategy.ExpectedValue }, "try",
            TestUsers.Principal("analyst@test.local", Roles.Analyst));
        Assert.Equal((false, RoutingPolicyService.NotAllowed), (result.Succeeded, result.Message));
        Assert.Equal(view.ActiveVersion, (await routing.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_makes_a_full_version_with_its_simulation_and_one_audit_entry_with_the_settings_before_and_after()
    {
        var view = await routing.LoadAsync();
        var weight = WeightOf(view, "L1-INST");

        var saved = await SimulateAndSaveAsync(WithWeightOf(view, "L1-INST", weight + 7), "More instalment loans");

        Assert.True(saved.Succeeded, saved.Message);
        await using var db = host.CreateDbContext();
        var version = await db.RoutingPolicies.SingleAsync(p => p.IsActive);
        Assert.Equal((view.ActiveVersion + 1, "More instalment loans", view.ActiveVersion), (version.Version, version.Comment, version.BasedOnVersion));
        Assert.Equal(await db.Products.CountAsync(), version.Products.Count);
        Assert.NotEmpty(version.SimulationJson);
        var audit = await db.Audit.Where(a => a.Area == "Routing" && a.EntityId == version.Version.ToString()).ToListAsync();
        var entry = Assert.Single(audit);
        Assert.Equal(("Policy saved", "ops@test.local"), (entry.Action, entry.Actor));
        using var before = JsonDocument.Parse(entry.Before!);
        using var after = JsonDocument.Parse(entry.After!);
        Assert.Equal(weight, before.RootElement.GetProperty("products").GetProperty("L1-INST").GetProperty("weight").GetInt32());
        Assert.Equal(weight + 7, after.RootElement.GetProperty("products").GetProperty("L1-INST").GetProperty("weight").GetInt32());
        Assert.False(after.RootElement.GetProperty("products").TryGetProperty("L1-CASH", out _)); // only what changed
    }

    [Fact]
    public async Task Application_right_after_a_save_is_routed_under_the_new_version()
    {
        var client = host.CreateClient();
        var view = await routing.LoadAsync();
        async Task<string?> RoutedUnderOnlyAsync(string productCode, int n)
        {
            var current = await routing.LoadAsync();
            var only = current.Current with
            {
                Strategy = RoutingStrategy.Weighted,
                Products = [.. current.Products.Select(p => p with { Weight = p.ProductCode == productCode ? 50 : 0 })],
            };
            var saved = await SimulateAndSaveAsync(only, $"only {productCode}");
            Assert.True(saved.Succeeded, saved.Message);
            var body = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(840_000 + n))));
            return (string?)body["routedTo"]?["productCode"];
        }

        Assert.Equal("L2-MICRO", await RoutedUnderOnlyAsync("L2-MICRO", 1));
        Assert.Equal("L1-CASH", await RoutedUnderOnlyAsync("L1-CASH", 2));

        Assert.True((await policies.RestoreAsync(view.ActiveVersion, "back to how it was", Manager, (await routing.LoadAsync()).ActiveVersion)).Succeeded);
    }

    [Fact]
    public async Task Restore_brings_back_the_strategy_and_every_products_four_settings_and_products_added_since_keep_theirs()
    {
        var original = await routing.LoadAsync();
        var changed = original.Current with
        {
            Strategy = original.Strategy == RoutingStrategy.Priority ? RoutingStrategy.Weighted : RoutingStrategy.Priority,
            Products = [.. original.Products.Select(p => p with
            {
                Weight = p.Weight + 11, Priority = p.Priority + 3, DailyCap = (p.DailyCap ?? 0) + 40, MonthlyBudget = (p.MonthlyBudget ?? 0m) + 1234.5m,
            })],
        };
        Assert.True((await SimulateAndSaveAsync(changed, "everything moves")).Succeeded);
        var added = await AddProductGivenWeightAsync("T-POL", "T-POL-CASH", 9);
        var before = await routing.LoadAsync();

        var plan = await policies.PlanRestoreAsync(original.ActiveVersion);
        var restored = await policies.RestoreAsync(original.ActiveVersion, "undo the experiment", Manager, before.ActiveVersion);

        Assert.True(restored.Succeeded, restored.Message);
        Assert.Equal(["T-POL-CASH"], plan!.KeepCurrent);
        var now = await routing.LoadAsync();
        Assert.Equal(before.ActiveVersion + 1, now.ActiveVersion);
        Assert.Equal(original.Strategy, now.Strategy);
        Assert.Equal(original.Products.Select(p => (p.ProductCode, p.Limits)), now.Products.Where(p => p.ProductCode != added).Select(p => (p.ProductCode, p.Limits)));
        Assert.Equal(9, WeightOf(now, added));
        Assert.Equal(original.ActiveVersion, now.Versions[0].RestoredFromVersion);
        Assert.NotNull(now.Versions[0].Simulation);
        await using var db = host.CreateDbContext();
        Assert.Equal(original.Products.Select(p => p.Limits),
            (await db.Products.Where(p => p.Code != added).ToListAsync()).OrderBy(p => p.Code).Select(p => p.Limits));
    }

    [Fact]
    public async Task Restore_needs_a_comment()
    {
        var view = await routing.LoadAsync();
        Assert.True((await SimulateAndSaveAsync(WithWeightOf(view, "L1-CASH", WeightOf(view, "L1-CASH") + 3), "to restore from")).Succeeded);

        var result = await policies.RestoreAsync(view.ActiveVersion, "", Manager, view.ActiveVersion + 1);

        Assert.Equal((false, RoutingPolicyService.CommentRequired), (result.Succeeded, result.Message));
    }

    /// <summary>A product created in the product dialog (drained) and given a weight on the routing page, as an operator does it.</summary>
    private async Task<string> AddProductGivenWeightAsync(string lenderCode, string productCode, int weight)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<LenderCatalogService>();
        Assert.True((await catalog.CreateLenderAsync(Manager, lenderCode, $"Lender {lenderCode}")).Succeeded);
        var form = ProductForm.NewFor((await catalog.ListAsync()).Single(l => l.Code == lenderCode));
        form.Code = productCode;
        form.Name = "Test loan";
        form.CommissionAmount = 25m;
        Assert.True((await catalog.SaveProductAsync(Manager, form)).Succeeded);
        var view = await routing.LoadAsync();
        Assert.Equal(0, WeightOf(view, productCode)); // on the routing page, drained, and in no version yet
        var saved = await SimulateAndSaveAsync(WithWeightOf(view, productCode, weight), $"{productCode} starts taking leads");
        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal((view.ActiveVersion + 1, weight), ((await routing.LoadAsync()).ActiveVersion, WeightOf(await routing.LoadAsync(), productCode)));
        return productCode;
    }

    [Fact]
    public async Task Import_makes_a_full_simulated_version_with_its_comment_that_restores_and_the_same_file_again_makes_none()
    {
        var importer = host.Services.GetRequiredService<ConfigurationImporter>();
        var document = await host.Services.GetRequiredService<ConfigurationExporter>().ExportAsync();
        var l2 = document.Lenders.Single(l => l.Code == "L2");
        var micro = l2.Products!.Single(p => p.Code == "L2-MICRO");
        var imported = document with
        {
            Lenders = [l2 with { Products = [micro with { Weight = micro.Weight + 13, DailyCap = 77, Priority = 9, MonthlyBudget = 4321m }] }],
            Routing = new RoutingDocument(RoutingStrategy.ExpectedValue),
        };

        var summary = await importer.ApplyAsync(imported, "ops@test.local", "quarterly configuration");

        var version = summary.PolicyVersion!.Value;
        var view = await routing.LoadAsync();
        Assert.Equal((version, RoutingStrategy.ExpectedValue), (view.ActiveVersion, view.Strategy));
        Assert.Equal("quarterly configuration", view.Versions[0].Comment);
        Assert.NotNull(view.Versions[0].Simulation);
        await using (var db = host.CreateDbContext())
        {
            Assert.Equal(await db.Products.CountAsync(), (await db.RoutingPolicies.SingleAsync(p => p.Version == version)).Products.Count);
        }
        Assert.Null((await importer.ApplyAsync(imported, "ops@test.local", "the same file again")).PolicyVersion);
        Assert.Equal(version, (await routing.LoadAsync()).ActiveVersion);

        Assert.True((await SimulateAndSaveAsync((view.Current with { Strategy = RoutingStrategy.Weighted }).WithWeight(
            view.Products.Single(p => p.ProductCode == "L2-MICRO").ProductId, 1), "after the import")).Succeeded);
        var restored = await policies.RestoreAsync(version, "back to the imported file", Manager, version + 1);

        Assert.True(restored.Succeeded, restored.Message);
        var now = await routing.LoadAsync();
        Assert.Equal(RoutingStrategy.ExpectedValue, now.Strategy);
        Assert.Equal(new ProductLimits(77, 4321m, micro.Weight + 13, 9), now.Products.Single(p => p.ProductCode == "L2-MICRO").Limits);
        Assert.Equal(view.Products.Select(p => p.Limits), now.Products.Select(p => p.Limits));
    }

    [Fact]
    public async Task Seed_file_makes_one_version_commented_with_its_name_and_a_restart_makes_none()
    {
        var store = LoanHubHost.NewDatabasePath();
        using (var first = LoanHubHost.OnDatabase(store))
        {
            _ = first.Server;
        }
        using var restarted = LoanHubHost.OnDatabase(store);
        _ = restarted.Server;

        await using var db = restarted.CreateDbContext();
        var version = await db.RoutingPolicies.SingleAsync();
        Assert.Equal(("seed file loanhub.example.json", "seed:loanhub.example.json"), (version.Comment, version.CreatedBy));
        Assert.Equal(await db.Products.CountAsync(), version.Products.Count);
    }

    [Fact]
    public void Only_the_policy_service_sets_a_products_routing_settings()
    {
        var web = Path.Combine(LoanHubHost.RepositoryRoot, "LoanHub.Web");
        var writers = Directory.EnumerateFiles(web, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(web, "*.razor", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains(".Follow("))
            .Select(Path.GetFileName);
        Assert.Equal(["RoutingPolicyService.cs"], writers);
    }
}
