using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Core.Engine;

/// <summary>One past applicant as the engine scored it, and what actually happened to it.</summary>
public sealed record ReplayItem(
    ApplicationId ApplicationId,
    DateTimeOffset ReceivedAt,
    ApplicantProfile Profile,
    DecisionRecord Actual,
    ProductId? ActualProduct,
    decimal ActualExpectedCommission)
{
    /// <summary>The catalog version the engine decided it on; null for decisions older than the catalog history.</summary>
    public long? CatalogVersionId { get; init; }
}

/// <summary>When a product stopped taking leads for a limit: a daily cap on a day, a monthly budget in a month.</summary>
public sealed record LimitReached(ProductId ProductId, string Limit, DateOnly Day, DateTimeOffset At);

public sealed record ProductComparison(
    ProductId ProductId,
    string LenderCode,
    string ProductCode,
    int ActualLeads,
    int SimulatedLeads,
    decimal ActualExpectedCommission,
    decimal SimulatedExpectedCommission,
    IReadOnlyList<LimitReached> ActualLimits,
    IReadOnlyList<LimitReached> SimulatedLimits);

public sealed record DayComparison(DateOnly Day, int ActualRouted, int SimulatedRouted);

public sealed record SimulationResult(
    int Replayed,
    int ActualRouted,
    int SimulatedRouted,
    int ActualUnmatched,
    int SimulatedUnmatched,
    decimal ActualExpectedCommission,
    decimal SimulatedExpectedCommission,
    IReadOnlyList<ProductComparison> Products,
    IReadOnlyList<DayComparison> Days);

/// <summary>
/// The routing what-if: replays past applicants, in the order they arrived, through eligibility and
/// allocation under a proposed catalog and strategy, with caps and budgets counted as they would have
/// filled, and sets the result beside what actually happened. Each applicant meets the proposal as applied to
/// the catalog of its own time (<see cref="CatalogTimeline"/>), so criteria and contracts are those it really faced. Scores and fraud decisions are kept as they
/// were: only applicants the engine decided to route are replayed. Pure and deterministic for its inputs.
/// </summary>
/// <param name="rates">The learned rates the proposed side's expected commissions are forecast from (the priors without).</param>
public sealed class RoutingSimulator(DecisionEngine engine, LearnedRates? rates = null)
{
    private readonly LearnedRates rates = rates ?? LearnedRates.None;

    /// <summary>The replay against one catalog for the whole window.</summary>
    public SimulationResult Run(IEnumerable<ReplayItem> items, IReadOnlyList<ProductSnapshot> proposed, RoutingStrategy strategy,
        IReadOnlyDictionary<(ProductId Product, DateOnly Month), decimal> committedBefore, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default) =>
        Run(items, CatalogTimeline.Fixed(proposed), strategy, committedBefore, progress, cancellationToken);

    /// <param name="proposed">The proposal applied to the catalog of each moment of the window.</param>
    /// <param name="committedBefore">Commission already committed per product and month before the window, so budgets start where they stood.</param>
    public SimulationResult Run(IEnumerable<ReplayItem> items, CatalogTimeline proposed, RoutingStrategy strategy,
        IReadOnlyDictionary<(ProductId Product, DateOnly Month), decimal> committedBefore, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var leads = new Dictionary<(ProductId, DateOnly), int>();
        var committed = new Dictionary<(ProductId, DateOnly), decimal>(committedBefore);
        var state = new WeightedRoundRobinState();
        var tally = new Dictionary<ProductId, Tally>();
        var days = new SortedDictionary<DateOnly, (int Actual, int Simulated)>();
        Tally TallyOf(ProductId id, string lender, string product) =>
            tally.TryGetValue(id, out var t) ? t : tally[id] = new Tally(lender, product);
        var known = proposed.AllProducts.ToDictionary(p => p.ProductId);
        foreach (var p in known.Values) TallyOf(p.ProductId, p.LenderCode, p.ProductCode);

        int replayed = 0, actualRouted = 0, simulatedRouted = 0, actualUnmatched = 0, simulatedUnmatched = 0;
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var day = BusinessDay.Of(item.ReceivedAt);
            var month = BusinessDay.MonthOf(day);
            var perDay = days.GetValueOrDefault(day);

            if (item.ActualProduct is { } actualProduct)
            {
                actualRouted++;
                perDay.Actual++;
                var snapshot = known.GetValueOrDefault(actualProduct);
                var t = TallyOf(actualProduct, snapshot?.LenderCode ?? "?", snapshot?.ProductCode ?? actualProduct.ToString());
                t.ActualLeads++;
                t.ActualExpected += item.ActualExpectedCommission;
            }
            else
            {
                actualUnmatched++;
            }
            foreach (var p in item.Actual.Products.Where(p => !p.IsEligible))
                NoteLimits(TallyOf(p.ProductId, p.LenderCode, p.ProductCode).ActualLimits, p.ProductId, p.Reasons, day, item.ReceivedAt);

            var offers = proposed.For(item.CatalogVersionId, item.ReceivedAt).Select(p => new ProductOffer(p, new ProductUsage(
                leads.GetValueOrDefault((p.ProductId, day)), committed.GetValueOrDefault((p.ProductId, month)))) { Rates = rates }).ToList();
            var simulated = engine.Reallocate(item.Actual, item.Profile, offers, strategy, state, day);
            foreach (var p in simulated.Products.Where(p => !p.IsEligible))
                NoteLimits(tally[p.ProductId].SimulatedLimits, p.ProductId, p.Reasons, day, item.ReceivedAt);

            if (simulated.RoutedTo is { } winner)
            {
                simulatedRouted++;
                perDay.Simulated++;
                var expected = simulated.Allocation!.ExpectedCommission;
                leads[(winner.ProductId, day)] = leads.GetValueOrDefault((winner.ProductId, day)) + 1;
                committed[(winner.ProductId, month)] = committed.GetValueOrDefault((winner.ProductId, month)) + expected;
                var t = tally[winner.ProductId];
                t.SimulatedLeads++;
                t.SimulatedExpected += expected;
            }
            else
            {
                simulatedUnmatched++;
            }
            days[day] = perDay;
            if (++replayed % 500 == 0) progress?.Report(replayed);
        }
        progress?.Report(replayed);

        var products = tally.Select(kv => new ProductComparison(kv.Key, kv.Value.LenderCode, kv.Value.ProductCode,
                kv.Value.ActualLeads, kv.Value.SimulatedLeads, kv.Value.ActualExpected, kv.Value.SimulatedExpected,
                kv.Value.ActualLimits.Values.ToList(), kv.Value.SimulatedLimits.Values.ToList()))
            .OrderBy(p => p.LenderCode, StringComparer.Ordinal).ThenBy(p => p.ProductCode, StringComparer.Ordinal)
            .ToList();
        return new SimulationResult(replayed, actualRouted, simulatedRouted, actualUnmatched, simulatedUnmatched,
            products.Sum(p => p.ActualExpectedCommission), products.Sum(p => p.SimulatedExpectedCommission), products,
            [.. days.Select(d => new DayComparison(d.Key, d.Value.Actual, d.Value.Simulated))]);
    }

    // The first moment in a day (cap) or month (budget) a product turned a lead away for that limit.
    private static void NoteLimits(Dictionary<(string, DateOnly), LimitReached> seen, ProductId product, IReadOnlyList<IneligibilityReason> reasons,
        DateOnly day, DateTimeOffset at)
    {
        foreach (var reason in reasons)
        {
            var period = reason.Code switch
            {
                Eligibility.DailyCap => day,
                Eligibility.MonthlyBudget => BusinessDay.MonthOf(day),
                _ => (DateOnly?)null,
            };
            if (period is { } key) seen.TryAdd((reason.Code, key), new LimitReached(product, reason.Code, day, at));
        }
    }

    private sealed class Tally(string lenderCode, string productCode)
    {
        public string LenderCode { get; } = lenderCode;
        public string ProductCode { get; } = productCode;
        public int ActualLeads { get; set; }
        public int SimulatedLeads { get; set; }
        public decimal ActualExpected { get; set; }
        public decimal SimulatedExpected { get; set; }
        public Dictionary<(string, DateOnly), LimitReached> ActualLimits { get; } = [];
        public Dictionary<(string, DateOnly), LimitReached> SimulatedLimits { get; } = [];
    }
}
