using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

public class RoutingSimulatorTests
{
    private static readonly DecisionEngine Engine = DecisionEngine.Default;

    /// <summary>Two days of 30 applicants each, decided live by the engine with caps counted as intake does.</summary>
    private static List<ReplayItem> History(IReadOnlyList<ProductSnapshot> products, RoutingStrategy strategy = RoutingStrategy.Weighted)
    {
        var items = new List<ReplayItem>();
        var leads = new Dictionary<(ProductId, DateOnly), int>();
        var state = new WeightedRoundRobinState();
        for (var i = 0; i < 60; i++)
        {
            var at = Now.AddDays(i / 30).AddMinutes(i % 30 * 10);
            var day = BusinessDay.Of(at);
            var profile = Applicant(monthlyIncome: 6_000m + i * 100m, requestedAmount: 20_000m + i % 5 * 1_000m);
            var offers = products.Select(p => new ProductOffer(p, new ProductUsage(leads.GetValueOrDefault((p.ProductId, day)), 0m))).ToList();
            var record = Engine.Decide(profile, FraudFindings.None, offers, strategy, state, day);
            var winner = record.RoutedTo;
            if (winner is not null) leads[(winner.ProductId, day)] = leads.GetValueOrDefault((winner.ProductId, day)) + 1;
            items.Add(new ReplayItem(ApplicationId.New(), at, profile, record, winner?.ProductId, record.Allocation?.ExpectedCommission ?? 0m));
        }
        return items;
    }

    [Fact]
    public void Replaying_under_the_same_policy_reproduces_what_happened()
    {
        ProductSnapshot[] products = [Product("A", weight: 5, dailyCap: 12), Product("B", weight: 3), Product("C", weight: 2)];
        var history = History(products);

        var result = new RoutingSimulator(Engine).Run(history, products, RoutingStrategy.Weighted, new Dictionary<(ProductId, DateOnly), decimal>());

        Assert.Equal(60, result.Replayed);
        Assert.All(result.Products, p => Assert.Equal(p.ActualLeads, p.SimulatedLeads));
        Assert.Equal(result.ActualExpectedCommission, result.SimulatedExpectedCommission);
        Assert.Equal(result.ActualUnmatched, result.SimulatedUnmatched);
    }

    [Fact]
    public void Lower_daily_cap_is_reported_with_the_moment_it_runs_out_and_never_exceeded()
    {
        ProductSnapshot[] actual = [Product("A", weight: 5), Product("B", weight: 5)];
        var history = History(actual);
        ProductSnapshot[] proposed = [actual[0] with { Limits = new ProductLimits(4, null, 5, 1) }, actual[1]];

        var result = new RoutingSimulator(Engine).Run(history, proposed, RoutingStrategy.Weighted, new Dictionary<(ProductId, DateOnly), decimal>());

        var a = result.Products.Single(p => p.ProductCode == "A");
        Assert.Equal(8, a.SimulatedLeads); // 4 a day over two days
        Assert.Equal(2, a.SimulatedLimits.Count(l => l.Limit == Eligibility.DailyCap));
        var firstDay = a.SimulatedLimits.OrderBy(l => l.At).First();
        Assert.Equal(BusinessDay.Of(Now), firstDay.Day);
        Assert.Empty(a.ActualLimits);
        Assert.Equal(result.Replayed - result.SimulatedUnmatched, result.Products.Sum(p => p.SimulatedLeads));
    }

    [Fact]
    public void Product_drained_to_weight_zero_gets_no_simulated_leads()
    {
        ProductSnapshot[] actual = [Product("A", weight: 5), Product("B", weight: 5)];
        var history = History(actual);
        ProductSnapshot[] proposed = [actual[0] with { Limits = new ProductLimits(null, null, 0, 1) }, actual[1]];

        var result = new RoutingSimulator(Engine).Run(history, proposed, RoutingStrategy.Weighted, new Dictionary<(ProductId, DateOnly), decimal>());

        Assert.Equal(0, result.Products.Single(p => p.ProductCode == "A").SimulatedLeads);
        Assert.True(result.Products.Single(p => p.ProductCode == "A").ActualLeads > 0);
        Assert.Equal(result.SimulatedRouted, result.Products.Single(p => p.ProductCode == "B").SimulatedLeads);
    }

    [Fact]
    public void Cancelled_simulation_stops()
    {
        ProductSnapshot[] products = [Product("A")];
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => new RoutingSimulator(Engine).Run(History(products), products,
            RoutingStrategy.Weighted, new Dictionary<(ProductId, DateOnly), decimal>(), cancellationToken: cancel.Token));
    }
}
