using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Features.Routing;
using Microsoft.Extensions.Time.Testing;
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

    private static int people = 452_000;

    [Fact]
    public async Task Actual_shares_are_each_products_part_of_the_leads_routed_in_the_last_seven_china_days_today_included()
    {
        // 10:00 CST on a Monday.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));
        using var own = new LoanHubHost { Clock = clock };
        var leads = new RoutedLeads(own.CreateClient(), () => Interlocked.Increment(ref people));
        var routing = own.Services.GetRequiredService<RoutingService>();
        var empty = await routing.LoadAsync();
        Assert.Null(empty.Actual.ShareOf(empty.Products[0].ProductId)); // nothing routed yet: no share to show
        await leads.CpsAsync();
        await leads.CpsAsync();
        clock.Advance(TimeSpan.FromDays(6)); // Sunday: Monday is the first of the seven days
        await leads.CplAsync();

        var week = await routing.LoadAsync();

        Assert.Equal((7, 3), (week.Actual.Days, week.Actual.Total));
        Assert.Equal(2m / 3m, ShareOf(week, "L1-CASH"));
        Assert.Equal(1m / 3m, ShareOf(week, "L2-MICRO"));
        Assert.Equal(0m, ShareOf(week, "L1-INST"));

        clock.Advance(TimeSpan.FromDays(1)); // Monday's leads are eight China days old
        var next = await routing.LoadAsync();

        Assert.Equal(1, next.Actual.Total);
        Assert.Equal(0m, ShareOf(next, "L1-CASH"));
        Assert.Equal(1m, ShareOf(next, "L2-MICRO"));
    }

    private static decimal? ShareOf(RoutingView view, string product) => view.Actual.ShareOf(view.Products.Single(p => p.ProductCode == product).ProductId);

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
