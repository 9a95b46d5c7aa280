using LoanHub.Core.Delivery;
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

    /// <summary>Offered to lenders and refused by all of them (or out of time): unmatched for their answers, not for want of a product.</summary>
    public bool ActualUnplaced { get; init; }
}

/// <summary>When a product stopped taking leads for a limit: a daily cap on a day, a monthly budget in a month.</summary>
public sealed record LimitReached(ProductId ProductId, string Limit, DateOnly Day, DateTimeOffset At);

/// <param name="ActualOffered">Leads the product's lender was offered (its accepted ones are <paramref name="ActualLeads"/>).</param>
public sealed record ProductComparison(
    ProductId ProductId,
    string LenderCode,
    string ProductCode,
    int ActualOffered,
    int SimulatedOffered,
    int ActualLeads,
    int SimulatedLeads,
    decimal ActualExpectedCommission,
    decimal SimulatedExpectedCommission,
    IReadOnlyList<LimitReached> ActualLimits,
    IReadOnlyList<LimitReached> SimulatedLimits);

public sealed record DayComparison(DateOnly Day, int ActualRouted, int SimulatedRouted);

/// <param name="ActualOffered">Offers to lenders, a lead counted once per lender product it was offered to.</param>
/// <param name="ActualUnplaced">Applicants offered to at least one lender and taken by none: part of <paramref name="ActualUnmatched"/>.</param>
public sealed record SimulationResult(
    int Replayed,
    int ActualOffered,
    int SimulatedOffered,
    int ActualRouted,
    int SimulatedRouted,
    int ActualUnmatched,
    int SimulatedUnmatched,
    int ActualUnplaced,
    int SimulatedUnplaced,
    decimal ActualExpectedCommission,
    decimal SimulatedExpectedCommission,
    IReadOnlyList<ProductComparison> Products,
    IReadOnlyList<DayComparison> Days)
{
    /// <summary>
    /// The result with the offers lenders were actually made, per product, as the store counts them (delivery attempts,
    /// and the leads pull lenders took): the replay knows where each applicant went, not how many lenders it met first.
    /// </summary>
    public SimulationResult WithActualOffers(IReadOnlyDictionary<ProductId, int> offered) => this with
    {
        ActualOffered = Products.Sum(p => offered.GetValueOrDefault(p.ProductId)),
        Products = [.. Products.Select(p => p with { ActualOffered = offered.GetValueOrDefault(p.ProductId) })],
    };
}

/// <summary>
/// The routing what-if: replays past applicants, in the order they arrived, through eligibility, allocation and delivery
/// under a proposed catalog and strategy, with caps and budgets counted as they would have filled, and sets the result
/// beside what actually happened. Each applicant meets the proposal as applied to the catalog of its own time
/// (<see cref="CatalogTimeline"/>), so criteria and contracts are those it really faced. Scores and fraud decisions are
/// kept as they were: only applicants the engine decided to route are replayed.
/// </summary>
/// <remarks>
/// Delivery is replayed as production runs it. A pull lender takes every lead it is given. A push lender's answer is a
/// draw against its learned rates for the applicant's tier: pre-check acceptance first when it pre-checks, then post
/// acceptance. A refusal falls through exactly as live (<see cref="FallThrough"/>: a pre-check refusal rules out all of
/// that lender's products; round-robin shares follow accepted leads) until a lender accepts or none is left. Each draw is
/// a hash of the seed, the applicant and the product, so a lead offered to the same product under two proposals gets the
/// same answer (the comparison is not noise) and a run is deterministic for its inputs. Not replayed: the deadline (a lead
/// that live would have run out of time is offered on) and auction prices (an auction ranks by expected commission).
/// </remarks>
/// <param name="rates">The learned rates the proposed side's answers and expected commissions come from (the priors without).</param>
/// <param name="seed">The seed of the delivery draws.</param>
public sealed class RoutingSimulator(DecisionEngine engine, LearnedRates? rates = null, ulong seed = RoutingSimulator.DefaultSeed)
{
    public const ulong DefaultSeed = 20_240_601;

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
        var refusals = new FallThrough();
        var tally = new Dictionary<ProductId, Tally>();
        var days = new SortedDictionary<DateOnly, (int Actual, int Simulated)>();
        Tally TallyOf(ProductId id, string lender, string product) =>
            tally.TryGetValue(id, out var t) ? t : tally[id] = new Tally(lender, product);
        var known = proposed.AllProducts.ToDictionary(p => p.ProductId);
        var allocator = Allocators.For(strategy);
        foreach (var p in known.Values) TallyOf(p.ProductId, p.LenderCode, p.ProductCode);

        int replayed = 0, actualRouted = 0, simulatedRouted = 0, actualUnmatched = 0, simulatedUnmatched = 0;
        int actualUnplaced = 0, simulatedOffered = 0, simulatedUnplaced = 0;
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
                if (item.ActualUnplaced) actualUnplaced++;
            }
            foreach (var p in item.Actual.Products)
                if (!p.IsEligible) NoteLimits(TallyOf(p.ProductId, p.LenderCode, p.ProductCode).ActualLimits, p.ProductId, p.Reasons, day, item.ReceivedAt);

            var offers = proposed.For(item.CatalogVersionId, item.ReceivedAt).Select(p => new ProductOffer(p, new ProductUsage(
                leads.GetValueOrDefault((p.ProductId, day)), committed.GetValueOrDefault((p.ProductId, month)))) { Rates = rates }).ToList();
            // Eligibility once per applicant (usage moves only when it is placed), then allocation again over the products
            // left each time a lender refuses, as Placement falls through live; only the codes of the reasons are read.
            var matched = engine.Match(item.Profile, item.Actual.Score, item.Actual.Tier, offers, day, explain: false);
            for (var i = 0; i < offers.Count; i++)
                if (!matched[i].IsEligible)
                    NoteLimits(tally[offers[i].Product.ProductId].SimulatedLimits, offers[i].Product.ProductId, matched[i].Reasons, day, item.ReceivedAt);
            var candidates = DecisionEngine.Candidates(offers, matched);
            var allocation = candidates.Count == 0 ? null : allocator.Allocate(candidates, state, explain: false);

            refusals.Clear();
            var competitors = allocation?.Pick?.Participants;
            var attempts = 0;
            ProductSnapshot? placed = null;
            while (allocation?.Winner is { } winner)
            {
                attempts++;
                tally[winner.ProductId].SimulatedOffered++;
                var refusedAt = Answer(item, winner);
                if (refusedAt is null)
                {
                    placed = winner;
                    break;
                }
                if (allocation.Pick is { } pick) state.Undo(pick);
                refusals.Refused(winner.ProductId, winner.LenderId, refusedAt == Stage.Precheck);
                candidates.RemoveAll(c => !refusals.Allows(c.Product));
                allocation = candidates.Count == 0 ? null : allocator.Allocate(candidates, state, explain: false);
                if (allocation?.Pick is { } fallThrough && competitors is not null)
                    allocation = allocation with { Pick = state.Charge(fallThrough, competitors) };
            }
            simulatedOffered += attempts;

            if (placed is not null)
            {
                simulatedRouted++;
                perDay.Simulated++;
                var expected = allocation!.ExpectedCommission;
                leads[(placed.ProductId, day)] = leads.GetValueOrDefault((placed.ProductId, day)) + 1;
                committed[(placed.ProductId, month)] = committed.GetValueOrDefault((placed.ProductId, month)) + expected;
                var t = tally[placed.ProductId];
                t.SimulatedLeads++;
                t.SimulatedExpected += expected;
            }
            else
            {
                simulatedUnmatched++;
                if (attempts > 0) simulatedUnplaced++;
            }
            days[day] = perDay;
            if (++replayed % 500 == 0) progress?.Report(replayed);
        }
        progress?.Report(replayed);

        var products = tally.Select(kv => new ProductComparison(kv.Key, kv.Value.LenderCode, kv.Value.ProductCode,
                0, kv.Value.SimulatedOffered, kv.Value.ActualLeads, kv.Value.SimulatedLeads,
                kv.Value.ActualExpected, kv.Value.SimulatedExpected, kv.Value.ActualLimits.Values.ToList(), kv.Value.SimulatedLimits.Values.ToList()))
            .OrderBy(p => p.LenderCode, StringComparer.Ordinal).ThenBy(p => p.ProductCode, StringComparer.Ordinal)
            .ToList();
        return new SimulationResult(replayed, 0, simulatedOffered, actualRouted, simulatedRouted,
            actualUnmatched, simulatedUnmatched, actualUnplaced, simulatedUnplaced,
            products.Sum(p => p.ActualExpectedCommission), products.Sum(p => p.SimulatedExpectedCommission), products,
            [.. days.Select(d => new DayComparison(d.Key, d.Value.Actual, d.Value.Simulated))]);
    }

    private enum Stage : ulong { Precheck = 1, Post = 2 }

    /// <summary>Where the product's lender would have refused the lead; null when it takes it.</summary>
    private Stage? Answer(ReplayItem item, ProductSnapshot product)
    {
        if (product.Delivery == DeliveryMode.Pull) return null;
        var learned = rates.For(product.ProductId, item.Actual.Tier);
        if (product.Delivery == DeliveryMode.PrecheckAndPost && !Takes(learned.PrecheckAcceptance.Value, item.ApplicationId, product.ProductId, Stage.Precheck))
            return Stage.Precheck;
        return Takes(learned.PostAcceptance.Value, item.ApplicationId, product.ProductId, Stage.Post) ? null : Stage.Post;
    }

    private bool Takes(double rate, ApplicationId application, ProductId product, Stage stage) =>
        SeededDraw.Uniform(seed, application.Value, product.Value, (ulong)stage) < rate;

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
        public int SimulatedOffered { get; set; }
        public int ActualLeads { get; set; }
        public int SimulatedLeads { get; set; }
        public decimal ActualExpected { get; set; }
        public decimal SimulatedExpected { get; set; }
        public Dictionary<(string, DateOnly), LimitReached> ActualLimits { get; } = [];
        public Dictionary<(string, DateOnly), LimitReached> SimulatedLimits { get; } = [];
    }
}
