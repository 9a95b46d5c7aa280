using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Routing;

public class RoutingServiceTests : IClassFixture<LoanHubHost>
{
    private readonly LoanHubHost host;
    private readonly RoutingService routing;

    public RoutingServiceTests(LoanHubHost host)
    {
        this.host = host;
        routing = host.Services.GetRequiredService<RoutingService>();
    }

    private static ClaimsPrincipal User(string role) => TestUsers.Principal($"{role.ToLowerInvariant()}@test.local", role);

    [Fact]
    public async Task Simulation_replays_the_window_beside_what_happened()
    {
        var client = host.CreateClient();
        for (var i = 0; i < 12; i++) await PostAsync(client, ValidBody(nationalId: NationalId(450_000 + i)));
        var view = await routing.LoadAsync();
        var drained = view.Products.Single(p => p.ProductCode == "L1-CASH");
        var proposal = new RoutingProposal(view.Strategy, [.. view.Products.Select(p => p.ProductId == drained.ProductId ? p with { Weight = 0 } : p)]);
        var progress = new List<SimulationProgress>();

        var result = await routing.SimulateAsync(proposal, DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddMinutes(1),
            new SynchronousProgress<SimulationProgress>(progress.Add), CancellationToken.None);

        Assert.True(result.Replayed >= 12);
        Assert.Equal(result.ActualRouted, result.Products.Sum(p => p.ActualLeads));
        var cash = result.Products.Single(p => p.ProductCode == "L1-CASH");
        Assert.True(cash.ActualLeads > 0);
        Assert.Equal(0, cash.SimulatedLeads);
        Assert.Contains(progress, p => p.Stage == "Replaying" && p.Done == result.Replayed);
    }

    [Fact]
    public async Task Saving_needs_a_comment_and_makes_a_new_audited_version()
    {
        var view = await routing.LoadAsync();
        var product = view.Products[0];
        var proposal = new RoutingProposal(RoutingStrategy.Priority, [.. view.Products.Select(p => p.ProductId == product.ProductId ? p with { Weight = p.Weight + 7 } : p)]);

        var refused = await routing.SaveAsync(proposal, "  ", User(Roles.OperationsManager), view.ActiveVersion);
        Assert.False(refused.Succeeded);

        var saved = await routing.SaveAsync(proposal, "Shift traffic for the holiday", User(Roles.OperationsManager), view.ActiveVersion);
        Assert.True(saved.Succeeded, saved.Message);

        var after = await routing.LoadAsync();
        Assert.Equal(view.ActiveVersion + 1, after.ActiveVersion);
        Assert.Equal(RoutingStrategy.Priority, after.Strategy);
        Assert.Equal(product.Weight + 7, after.Products.Single(p => p.ProductId == product.ProductId).Weight);
        Assert.Equal("Shift traffic for the holiday", after.Versions[0].Comment);
        await using var db = host.CreateDbContext();
        Assert.True(await db.Audit.AnyAsync(a => a.Area == "Routing" && a.Action == "Product routing changed" && a.EntityId == product.ProductCode));
    }

    [Fact]
    public async Task Save_based_on_an_older_version_is_a_conflict()
    {
        var view = await routing.LoadAsync();
        var proposal = new RoutingProposal(view.Strategy, [.. view.Products.Select(p => p with { Priority = p.Priority + 1 })]);
        Assert.True((await routing.SaveAsync(proposal, "first operator", User(Roles.Admin), view.ActiveVersion)).Succeeded);

        var stale = await routing.SaveAsync(proposal with { Strategy = RoutingStrategy.ExpectedValue }, "second operator", User(Roles.Admin), view.ActiveVersion);

        Assert.False(stale.Succeeded);
        Assert.Contains("since you opened", stale.Message);
    }

    [Fact]
    public async Task Analyst_cannot_save_even_by_calling_the_service()
    {
        var view = await routing.LoadAsync();
        var result = await routing.SaveAsync(new RoutingProposal(RoutingStrategy.ExpectedValue, view.Products), "try", User(Roles.Analyst), view.ActiveVersion);
        Assert.False(result.Succeeded);
        Assert.Equal(view.ActiveVersion, (await routing.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Restoring_an_old_version_brings_its_settings_back_as_a_new_version()
    {
        var original = await routing.LoadAsync();
        var weights = original.Products.ToDictionary(p => p.ProductId, p => p.Weight);
        var changed = new RoutingProposal(original.Strategy, [.. original.Products.Select(p => p with { Weight = p.Weight + 3 })]);
        Assert.True((await routing.SaveAsync(changed, "temporary", User(Roles.Admin), original.ActiveVersion)).Succeeded);
        var middle = await routing.LoadAsync();

        var restored = await routing.RestoreAsync(original.ActiveVersion, User(Roles.Admin), middle.ActiveVersion);

        Assert.True(restored.Succeeded, restored.Message);
        var now = await routing.LoadAsync();
        Assert.Equal(middle.ActiveVersion + 1, now.ActiveVersion);
        Assert.All(now.Products, p => Assert.Equal(weights[p.ProductId], p.Weight));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
