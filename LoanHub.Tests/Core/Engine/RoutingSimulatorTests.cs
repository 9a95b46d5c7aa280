using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

public class RoutingSimulatorTests
{
    private static readonly DecisionEngine Engine = DecisionEngine.Default;

    /// <summary>Two days of 30 applicants each, decided live by the engine with caps counted as intake does.</summary>
    private static List<ReplayItem> History(IReadOnlyList<ProductSnapshot> products, RoutingStrategy strategy = RoutingStrategy.Weighted, int count = 60)
    {
        var items = new List<ReplayItem>();
        var leads = new Dictionary<(ProductId, DateOnly), int>();
        var state = new WeightedRoundRobinState();
        for (var i = 0; i < count; i++)
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

    /// <summary>Rates learned from so many answers of <paramref name="product"/>, in every tier, that the prior hardly counts.</summary>
    private static LearnedRates Answering(ProductSnapshot product, double precheck = 1, double post = 1) => LearnedRates.From(
        Enum.GetValues<RiskTier>().Select(tier => new ProductTierCounts(product.ProductId, tier, new OutcomeCounts
        {
            PrechecksAnswered = 100_000, PrechecksAccepted = (int)(precheck * 100_000),
            PostsAnswered = 100_000, PostsAccepted = (int)(post * 100_000),
        })), RatePriors.Default, Now);

    /// <summary>What happened: the products as pull lenders, each lead taken where the engine put it.</summary>
    private static List<ReplayItem> Pulled(IReadOnlyList<ProductSnapshot> products, int count = 60) =>
        History([.. products.Select(p => p with { Delivery = DeliveryMode.Pull })], count: count);

    private static SimulationResult Replay(IReadOnlyList<ProductSnapshot> proposed, LearnedRates rates, ulong seed = RoutingSimulator.DefaultSeed,
        int count = 60, List<ReplayItem>? history = null) =>
        new RoutingSimulator(Engine, rates, seed).Run(history ?? Pulled(proposed, count), proposed, RoutingStrategy.Weighted, new Dictionary<(ProductId, DateOnly), decimal>());

    [Fact]
    public void Lead_refused_at_the_post_falls_through_to_the_next_product()
    {
        var refusing = Product("A", weight: 9) with { Delivery = DeliveryMode.Post };
        var pull = Product("B", weight: 1);

        var result = Replay([refusing, pull], Answering(refusing, post: 0));

        var a = result.Products.Single(p => p.ProductCode == "A");
        var b = result.Products.Single(p => p.ProductCode == "B");
        Assert.Equal((0, 60), (a.SimulatedLeads, a.SimulatedOffered)); // picked first every time (weight 9 of 10 after each undo), refused every time
        Assert.Equal((60, 60), (b.SimulatedLeads, b.SimulatedOffered));
        Assert.Equal((120, 60, 0, 0), (result.SimulatedOffered, result.SimulatedRouted, result.SimulatedUnplaced, result.SimulatedUnmatched));
    }

    [Fact]
    public void Precheck_refusal_rules_out_every_product_of_that_lender()
    {
        var first = Product("A1", weight: 5, lender: "A") with { Delivery = DeliveryMode.PrecheckAndPost };
        var second = Product("A2", weight: 5, lender: "A") with { Delivery = DeliveryMode.PrecheckAndPost, LenderId = first.LenderId };
        var pull = Product("B", weight: 1);
        var rates = LearnedRates.From(Answering(first, precheck: 0).Products.Concat(Answering(second, precheck: 0).Products)
            .Select(r => new ProductTierCounts(r.ProductId!.Value, r.Tier, r.Counts)), RatePriors.Default, Now);

        var result = Replay([first, second, pull], rates);

        // Each lead meets one of A's products, is refused at its pre-check, and goes to B without trying A's other one.
        Assert.Equal(60, result.Products.Where(p => p.LenderCode == "A").Sum(p => p.SimulatedOffered));
        Assert.Equal(60, result.Products.Single(p => p.ProductCode == "B").SimulatedLeads);
        Assert.Equal(120, result.SimulatedOffered);
    }

    [Fact]
    public void Lead_no_lender_takes_is_unplaced_and_unmatched()
    {
        var refusing = Product("A") with { Delivery = DeliveryMode.Post };

        var result = Replay([refusing], Answering(refusing, post: 0));

        Assert.Equal((60, 60, 60, 0), (result.SimulatedOffered, result.SimulatedUnplaced, result.SimulatedUnmatched, result.SimulatedRouted));
    }

    [Fact]
    public void Pull_lender_takes_every_lead_whatever_its_learned_acceptance()
    {
        var pull = Product("A");

        var result = Replay([pull], Answering(pull, precheck: 0, post: 0));

        Assert.Equal((60, 60, 0), (result.SimulatedOffered, result.SimulatedRouted, result.SimulatedUnplaced));
    }

    [Fact]
    public void Push_lender_accepts_about_its_learned_share_of_the_leads_offered()
    {
        var push = Product("A", weight: 1) with { Delivery = DeliveryMode.PrecheckAndPost };
        var pull = Product("B", weight: 1);

        var result = Replay([push, pull], Answering(push, precheck: 0.8, post: 0.75), count: 3_000);

        var a = result.Products.Single(p => p.ProductCode == "A");
        var share = (double)a.SimulatedLeads / a.SimulatedOffered;
        Assert.InRange(share, 0.6 - 0.04, 0.6 + 0.04); // 0.8 × 0.75
        Assert.Equal(0, result.SimulatedUnplaced);
    }

    [Fact]
    public void Draws_are_seeded_the_same_seed_repeats_the_answers_another_does_not()
    {
        var push = Product("A", weight: 3) with { Delivery = DeliveryMode.Post };
        var pull = Product("B", weight: 1);
        var rates = Answering(push, post: 0.5);
        var history = Pulled([push, pull]);

        var once = Replay([push, pull], rates, history: history);
        var again = Replay([push, pull], rates, history: history);
        var other = Replay([push, pull], rates, seed: 7, history: history);

        Assert.Equal(once.Products.Select(p => (p.SimulatedOffered, p.SimulatedLeads)), again.Products.Select(p => (p.SimulatedOffered, p.SimulatedLeads)));
        Assert.NotEqual(once.Products.Select(p => p.SimulatedLeads), other.Products.Select(p => p.SimulatedLeads));
    }
}
