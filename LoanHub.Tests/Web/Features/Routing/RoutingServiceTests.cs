using LoanHub.Core.Domain;
using LoanHub.Web.Features.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
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

    [Fact]
    public async Task Simulation_replays_the_window_beside_what_happened()
    {
        var client = host.CreateClient();
        for (var i = 0; i < 12; i++) await PostAsync(client, ValidBody(nationalId: NationalId(450_000 + i)));
        var view = await routing.LoadAsync();
        var drained = view.Products.Single(p => p.ProductCode == "L1-CASH");
        var proposal = new RoutingProposal(view.Strategy, [.. view.Products.Select(p => p.ProductId == drained.ProductId ? p with { Weight = 0 } : p)]);
        var progress = new List<SimulationProgress>();

        var result = (await routing.SimulateAsync(proposal, DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddMinutes(1),
            new SynchronousProgress<SimulationProgress>(progress.Add), CancellationToken.None)).Result;

        Assert.True(result.Replayed >= 12);
        Assert.Equal(result.ActualRouted, result.Products.Sum(p => p.ActualLeads));
        var cash = result.Products.Single(p => p.ProductCode == "L1-CASH");
        Assert.True(cash.ActualLeads > 0);
        Assert.Equal(0, cash.SimulatedLeads);
        Assert.Contains(progress, p => p.Stage == "Replaying" && p.Done == result.Replayed && p.Total == result.Replayed);
    }

    [Fact]
    public async Task Decisions_stored_before_assessments_kept_the_age_are_replayed_on_the_age_from_the_resident_id()
    {
        var client = host.CreateClient();
        for (var i = 0; i < 12; i++) await PostAsync(client, ValidBody(nationalId: NationalId(450_100 + i)));
        var view = await routing.LoadAsync();
        var from = DateTimeOffset.UtcNow.AddDays(-7);
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var before = (await routing.SimulateAsync(view.Current, from, to, null, CancellationToken.None)).Result;

        await using (var db = host.CreateDbContext())
            Assert.True(await db.Assessments.ExecuteUpdateAsync(a => a.SetProperty(x => x.ApplicantAge, (int?)null)) >= 12);
        var after = (await routing.SimulateAsync(view.Current, from, to, null, CancellationToken.None)).Result;

        Assert.Equal(before.Replayed, after.Replayed);
        Assert.True(after.SimulatedRouted > 0);
        Assert.Equal(before.Products.Select(p => (p.ProductCode, p.SimulatedLeads)), after.Products.Select(p => (p.ProductCode, p.SimulatedLeads)));
        Assert.Equal(before.SimulatedExpectedCommission, after.SimulatedExpectedCommission);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
