using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

public class SimulatorRulesTests
{
    private static readonly DecisionEngine Engine = DecisionEngine.Default;
    private static readonly Dictionary<(ProductId, DateOnly), decimal> NothingBefore = [];

    private static ReplayItem Item(DateTimeOffset at, ProductSnapshot? routedTo, decimal expected = 20m, IReadOnlyList<ProductSnapshot>? catalog = null)
    {
        var record = Engine.Decide(Applicant(), FraudFindings.None, [.. (catalog ?? []).Select(p => new ProductOffer(p, ProductUsage.None))],
            RoutingStrategy.Weighted, new WeightedRoundRobinState(), BusinessDay.Of(at));
        return new ReplayItem(ApplicationId.New(), at, Applicant(), record, routedTo?.ProductId, routedTo is null ? 0m : expected);
    }

    private sealed class Reports : IProgress<int>
    {
        public List<int> Seen { get; } = [];
        public void Report(int value) => Seen.Add(value);
    }

    [Fact]
    public void Counts_per_side_and_per_day_and_totals_add_up()
    {
        var a = Product("A");
        ProductSnapshot[] proposed = [a with { Limits = new ProductLimits(1, null, 100, 1) }];
        var day1 = Now;
        var day2 = Now.AddDays(1);
        // Actual: three routed to A (two on day 1), one unmatched on day 2.
        ReplayItem[] items = [Item(day1, a, 20m), Item(day1.AddMinutes(1), a, 20m), Item(day2, a, 20m), Item(day2.AddMinutes(1), null)];

        var result = new RoutingSimulator(Engine).Run(items, proposed, RoutingStrategy.Weighted, NothingBefore);

        Assert.Equal((4, 3, 2, 1, 2, 60m, 40m), (result.Replayed, result.ActualRouted, result.SimulatedRouted, result.ActualUnmatched, result.SimulatedUnmatched,
            result.ActualExpectedCommission, result.SimulatedExpectedCommission));
        Assert.Equal([new DayComparison(BusinessDay.Of(day1), 2, 1), new DayComparison(BusinessDay.Of(day2), 1, 1)], result.Days);
        var product = Assert.Single(result.Products);
        Assert.Equal(("LENDER", "A", 3, 2, 60m, 40m), (product.LenderCode, product.ProductCode, product.ActualLeads, product.SimulatedLeads, product.ActualExpectedCommission, product.SimulatedExpectedCommission));
        // The cap of one a day turned a lead away on each day: the first refusal of each day is kept.
        Assert.Equal([BusinessDay.Of(day1), BusinessDay.Of(day2)], product.SimulatedLimits.Select(l => l.Day));
        Assert.Equal(day1.AddMinutes(1), product.SimulatedLimits[0].At);
        Assert.All(product.SimulatedLimits, l => Assert.Equal((a.ProductId, Eligibility.DailyCap), (l.ProductId, l.Limit)));
    }

    [Fact]
    public void A_budget_starts_where_the_month_stood_and_is_reported_once_a_month()
    {
        var a = Product("A");
        ProductSnapshot[] proposed = [a with { Limits = new ProductLimits(null, 50m, 100, 1) }];
        ReplayItem[] items = [Item(Now, a), Item(Now.AddMinutes(1), a), Item(Now.AddMinutes(2), a)];
        var before = new Dictionary<(ProductId, DateOnly), decimal> { [(a.ProductId, BusinessDay.MonthOf(BusinessDay.Of(Now)))] = 20m };

        var result = new RoutingSimulator(Engine).Run(items, proposed, RoutingStrategy.Weighted, before);

        var product = Assert.Single(result.Products);
        Assert.Equal(1, product.SimulatedLeads); // 20 before + 20 = 40; another 20 would pass 50
        var limit = Assert.Single(product.SimulatedLimits);
        Assert.Equal((Eligibility.MonthlyBudget, BusinessDay.Of(Now), Now.AddMinutes(1)), (limit.Limit, limit.Day, limit.At));
    }

    [Fact]
    public void What_stopped_the_actual_side_is_read_from_the_recorded_decisions()
    {
        var capped = Product("A", dailyCap: 0);
        var open = Product("B");
        ProductSnapshot[] catalog = [capped, open];
        ReplayItem[] items = [Item(Now, open, catalog: catalog), Item(Now.AddMinutes(5), open, catalog: catalog)];

        var result = new RoutingSimulator(Engine).Run(items, catalog, RoutingStrategy.Weighted, NothingBefore);

        var a = result.Products.Single(p => p.ProductCode == "A");
        var limit = Assert.Single(a.ActualLimits);
        Assert.Equal((Eligibility.DailyCap, Now), (limit.Limit, limit.At));
        Assert.Equal(0, a.ActualLeads);
        Assert.Equal(["A", "B"], result.Products.Select(p => p.ProductCode));
    }

    [Fact]
    public void A_product_no_longer_in_the_catalog_is_still_counted_for_what_it_took()
    {
        var gone = Product("GONE");
        var result = new RoutingSimulator(Engine).Run([Item(Now, gone, 15m)], [Product("A")], RoutingStrategy.Weighted, NothingBefore);
        var product = result.Products.Single(p => p.ProductId == gone.ProductId);
        Assert.Equal(("?", gone.ProductId.ToString(), 1, 15m), (product.LenderCode, product.ProductCode, product.ActualLeads, product.ActualExpectedCommission));
    }

    [Fact]
    public void Progress_is_reported_every_500_and_at_the_end()
    {
        var a = Product("A");
        var items = Enumerable.Range(0, 1_001).Select(i => Item(Now.AddSeconds(i), null)).ToList();
        var reports = new Reports();
        new RoutingSimulator(Engine).Run(items, [a], RoutingStrategy.Weighted, NothingBefore, reports);
        Assert.Equal([500, 1_000, 1_001], reports.Seen);
    }

    [Fact]
    public void The_proposed_side_forecasts_with_the_learned_rates_it_is_given()
    {
        var a = Product("A", commission: CommissionContract.PerApproval(100m));
        var rates = LearnedRates.From([new ProductTierCounts(a.ProductId, RiskTier.B, new OutcomeCounts { Decided = 10, Approved = 10 })],
            new RatePriors(Strength: 0), DateTimeOffset.UnixEpoch);
        var item = Item(Now, null);
        var tier = item.Actual.Tier;
        Assert.Equal(RiskTier.B, tier);
        var learned = new RoutingSimulator(Engine, rates).Run([item], [a], RoutingStrategy.Weighted, NothingBefore);
        var priors = new RoutingSimulator(Engine).Run([item], [a], RoutingStrategy.Weighted, NothingBefore);
        Assert.Equal((100m, 45m), (learned.SimulatedExpectedCommission, priors.SimulatedExpectedCommission));
    }
}
