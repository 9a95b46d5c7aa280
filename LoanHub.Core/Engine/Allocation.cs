using LoanHub.Core.Domain;
using static System.FormattableString;

namespace LoanHub.Core.Engine;

/// <summary>An eligible product and what the lead is expected to earn from it.</summary>
public sealed record AllocationCandidate(ProductSnapshot Product, decimal ExpectedCommission);

/// <param name="Score">
/// What the strategy ranked by: the current weight at the pick (Weighted), the priority (Priority, lower
/// wins), or expected commission × weight / 100 (ExpectedValue).
/// </param>
/// <param name="Note">Why a candidate sat out, when it did (e.g. weight 0, a lower priority level).</param>
public sealed record CandidateScore(
    ProductId ProductId,
    string LenderCode,
    string ProductCode,
    int Weight,
    int Priority,
    decimal ExpectedCommission,
    decimal Score,
    string? Note);

/// <param name="Winner">Null when no candidate could take the lead (the application is then Unmatched).</param>
/// <param name="HowDrawn">One sentence for the decision timeline: how the winner beat the rest.</param>
/// <param name="ExpectedCommission">The winner's expected commission; what the allocation commits against its budget.</param>
public sealed record AllocationResult(
    ProductSnapshot? Winner,
    IReadOnlyList<CandidateScore> Candidates,
    string HowDrawn,
    decimal ExpectedCommission)
{
    /// <summary>The round-robin pick behind the winner, to take back if its lender refuses; null for strategies that do not pick.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RoundRobinPick? Pick { get; init; }
}

/// <summary>
/// One routing strategy. Candidates are already eligible; a product with weight 0 never receives a lead
/// under any strategy, which is how an operator drains a product without pausing it.
/// </summary>
public interface IAllocator
{
    RoutingStrategy Strategy { get; }

    /// <param name="explain">False for callers that need only the winner, its expected commission and the pick (the
    /// what-if): the result then carries no candidate scores and an empty <see cref="AllocationResult.HowDrawn"/>.</param>
    AllocationResult Allocate(IReadOnlyList<AllocationCandidate> candidates, WeightedRoundRobinState state, bool explain = true);
}

public static class Allocators
{
    public static IAllocator Weighted { get; } = new WeightedAllocator();
    public static IAllocator Priority { get; } = new PriorityAllocator();
    public static IAllocator ExpectedValue { get; } = new ExpectedValueAllocator();
    public static IAllocator Auction { get; } = new AuctionAllocator();

    public static IAllocator For(RoutingStrategy strategy) => strategy switch
    {
        RoutingStrategy.Weighted => Weighted,
        RoutingStrategy.Priority => Priority,
        RoutingStrategy.ExpectedValue => ExpectedValue,
        RoutingStrategy.Auction => Auction,
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };

    /// <summary>Lender code, product code, id: the same order whatever order the host listed products in.</summary>
    internal static IReadOnlyList<AllocationCandidate> InCanonicalOrder(IEnumerable<AllocationCandidate> candidates)
    {
        // Hosts that keep their catalog in this order (the what-if, a million times over) pay one pass, not a sort.
        if (candidates is IReadOnlyList<AllocationCandidate> list && IsCanonical(list)) return list;
        return [.. candidates
            .OrderBy(c => c.Product.LenderCode, StringComparer.Ordinal)
            .ThenBy(c => c.Product.ProductCode, StringComparer.Ordinal)
            .ThenBy(c => c.Product.ProductId.Value)];
    }

    private static bool IsCanonical(IReadOnlyList<AllocationCandidate> list)
    {
        for (var i = 1; i < list.Count; i++)
            if (CanonicalOrder(list[i - 1].Product, list[i].Product) >= 0) return false;
        return true;
    }

    /// <summary>Lender code, product code, id: the order <see cref="InCanonicalOrder"/> sorts by.</summary>
    public static int CanonicalOrder(ProductSnapshot x, ProductSnapshot y)
    {
        var byLender = string.CompareOrdinal(x.LenderCode, y.LenderCode);
        if (byLender != 0) return byLender;
        var byProduct = string.CompareOrdinal(x.ProductCode, y.ProductCode);
        return byProduct != 0 ? byProduct : x.ProductId.Value.CompareTo(y.ProductId.Value);
    }

    internal static CandidateScore Scored(AllocationCandidate candidate, decimal score, string? note = null) => new(
        candidate.Product.ProductId, candidate.Product.LenderCode, candidate.Product.ProductCode,
        candidate.Product.Limits.Weight, candidate.Product.Limits.Priority, candidate.ExpectedCommission, score, note);

    internal const string ZeroWeight = "weight 0: receives no leads";

    internal static AllocationResult NoWinner(IReadOnlyList<AllocationCandidate> ordered, string howDrawn) =>
        new(null, [.. ordered.Select(c => Scored(c, 0m, ZeroWeight))], howDrawn, 0m);

    /// <summary>A winner without its explanation, for callers that asked for none.</summary>
    internal static AllocationResult Unexplained(ProductSnapshot winner, decimal expectedCommission) => new(winner, [], string.Empty, expectedCommission);

    internal static string NoPositiveWeight(int count) =>
        count == 0 ? "No eligible product." : Invariant($"None of the {count} eligible products has a positive weight.");
}

/// <summary>Smooth weighted round-robin: shares track weights closely even over a handful of leads.</summary>
public sealed class WeightedAllocator : IAllocator
{
    public RoutingStrategy Strategy => RoutingStrategy.Weighted;

    public AllocationResult Allocate(IReadOnlyList<AllocationCandidate> candidates, WeightedRoundRobinState state, bool explain = true)
    {
        var ordered = Allocators.InCanonicalOrder(candidates);
        var participants = ordered.Where(c => c.Product.Limits.Weight > 0).ToArray();
        if (participants.Length == 0) return Allocators.NoWinner(ordered, Allocators.NoPositiveWeight(ordered.Count));

        var (winner, atPick, total) = state.Pick([.. participants.Select(c => c.Product)]);
        var pick = RoundRobinPick.Of([.. participants.Select(c => c.Product)], winner);
        if (!explain) return Allocators.Unexplained(participants[winner].Product, participants[winner].ExpectedCommission) with { Pick = pick };
        var scores = participants.Select((c, i) => (c.Product.ProductId, Score: atPick[i])).ToDictionary(x => x.ProductId, x => x.Score);
        var won = participants[winner];
        var how = Invariant($"Smooth weighted round-robin, total weight {total}: current weights ")
            + string.Join(", ", participants.Select((c, i) => Invariant($"{c.Product.Label}={atPick[i]}")))
            + Invariant($"; {won.Product.Label} is highest, wins and gives back {total}.");
        return new AllocationResult(
            won.Product,
            [.. ordered.Select(c => scores.TryGetValue(c.Product.ProductId, out var s) ? Allocators.Scored(c, s) : Allocators.Scored(c, 0m, Allocators.ZeroWeight))],
            how,
            won.ExpectedCommission) { Pick = pick };
    }
}

/// <summary>Waterfall: the lowest priority number that has an eligible product wins; ties share by weighted round-robin.</summary>
public sealed class PriorityAllocator : IAllocator
{
    public RoutingStrategy Strategy => RoutingStrategy.Priority;

    public AllocationResult Allocate(IReadOnlyList<AllocationCandidate> candidates, WeightedRoundRobinState state, bool explain = true)
    {
        var ordered = Allocators.InCanonicalOrder(candidates);
        var participants = ordered.Where(c => c.Product.Limits.Weight > 0).ToArray();
        if (participants.Length == 0) return Allocators.NoWinner(ordered, Allocators.NoPositiveWeight(ordered.Count));

        var level = participants.Min(c => c.Product.Limits.Priority);
        var tied = participants.Where(c => c.Product.Limits.Priority == level).ToArray();
        var (winner, _, total) = state.Pick([.. tied.Select(c => c.Product)]);
        var won = tied[winner];
        var pick = RoundRobinPick.Of([.. tied.Select(c => c.Product)], winner);
        if (!explain) return Allocators.Unexplained(won.Product, won.ExpectedCommission) with { Pick = pick };

        var how = tied.Length == 1
            ? Invariant($"Waterfall: {won.Product.Label} is alone at the first priority level with an eligible product ({level}).")
            : Invariant($"Waterfall: {tied.Length} products tie at priority {level} (") + string.Join(", ", tied.Select(c => c.Product.Label))
              + Invariant($"); smooth weighted round-robin over total weight {total} picks {won.Product.Label}.");
        var scores = ordered.Select(c =>
            c.Product.Limits.Weight == 0 ? Allocators.Scored(c, c.Product.Limits.Priority, Allocators.ZeroWeight)
            : c.Product.Limits.Priority > level ? Allocators.Scored(c, c.Product.Limits.Priority, Invariant($"below priority level {level}"))
            : Allocators.Scored(c, c.Product.Limits.Priority));
        return new AllocationResult(won.Product, [.. scores], how, won.ExpectedCommission) { Pick = pick };
    }
}

/// <summary>
/// Highest expected commission, scaled by weight / 100 (so weight 100 is neutral and an operator can tilt
/// toward a lender without lying about its price); ties go to the lower priority number, then the code.
/// Deterministic: it neither reads nor changes the round-robin state.
/// </summary>
public sealed class ExpectedValueAllocator : IAllocator
{
    public RoutingStrategy Strategy => RoutingStrategy.ExpectedValue;

    public static decimal RankOf(AllocationCandidate candidate) => candidate.ExpectedCommission * candidate.Product.Limits.Weight / 100m;

    public AllocationResult Allocate(IReadOnlyList<AllocationCandidate> candidates, WeightedRoundRobinState state, bool explain = true)
    {
        var ordered = Allocators.InCanonicalOrder(candidates);
        var ranked = ordered
            .Where(c => c.Product.Limits.Weight > 0)
            .Select((c, order) => (Candidate: c, Rank: RankOf(c), Order: order))
            .OrderByDescending(x => x.Rank)
            .ThenBy(x => x.Candidate.Product.Limits.Priority)
            .ThenBy(x => x.Order)
            .ToArray();
        if (ranked.Length == 0) return Allocators.NoWinner(ordered, Allocators.NoPositiveWeight(ordered.Count));

        var won = ranked[0].Candidate;
        if (!explain) return Allocators.Unexplained(won.Product, won.ExpectedCommission);
        var how = Invariant($"Highest expected value: {won.Product.Label} expects {won.ExpectedCommission:0.00} × weight {won.Product.Limits.Weight}/100 = {ranked[0].Rank:0.####}")
            + (ranked.Length > 1 ? Invariant($", ahead of {ranked[1].Candidate.Product.Label} at {ranked[1].Rank:0.####}.") : ", the only candidate.");
        var scores = ranked.Select(x => Allocators.Scored(x.Candidate, x.Rank))
            .Concat(ordered.Where(c => c.Product.Limits.Weight == 0).Select(c => Allocators.Scored(c, 0m, Allocators.ZeroWeight)));
        return new AllocationResult(won.Product, [.. scores], how, won.ExpectedCommission);
    }
}

/// <summary>One product's offer in an auction: what its lender bid at pre-check, or its contract's expected commission without one.</summary>
public sealed record AuctionBid(ProductSnapshot Product, decimal Price);

/// <summary>
/// Ping-post, as lead exchanges sell: every eligible product's lender is pre-checked at once, the accepted bids are
/// ranked by price (ties by weight, then the canonical order) and the best is posted first, falling through by price.
/// Before the bids are in — and in the what-if, which has none — each product bids its expected commission.
/// Deterministic: it neither reads nor changes the round-robin state.
/// </summary>
public sealed class AuctionAllocator : IAllocator
{
    public RoutingStrategy Strategy => RoutingStrategy.Auction;

    /// <summary>Highest price first, ties by weight, then lender code, product code and id.</summary>
    public static IReadOnlyList<AuctionBid> Rank(IEnumerable<AuctionBid> bids)
    {
        var canonical = Allocators.InCanonicalOrder(bids.Select(b => new AllocationCandidate(b.Product, b.Price)));
        return [.. canonical.Select((c, order) => (Bid: new AuctionBid(c.Product, c.ExpectedCommission), Order: order))
            .Where(x => x.Bid.Product.Limits.Weight > 0)
            .OrderByDescending(x => x.Bid.Price).ThenByDescending(x => x.Bid.Product.Limits.Weight).ThenBy(x => x.Order)
            .Select(x => x.Bid)];
    }

    /// <summary>How the lead was placed once the bids were in: the winning bid among those still standing.</summary>
    public static string HowPlaced(ProductSnapshot product, decimal price, IReadOnlyList<AuctionBid> standing) =>
        Invariant($"Auction: {product.Label} bid {price:0.00}, the best of {standing.Count} standing bid(s): ")
        + string.Join(", ", Rank(standing).Select(b => Invariant($"{b.Product.Label}={b.Price:0.00}"))) + ".";

    public AllocationResult Allocate(IReadOnlyList<AllocationCandidate> candidates, WeightedRoundRobinState state, bool explain = true)
    {
        var ordered = Allocators.InCanonicalOrder(candidates);
        var ranked = Rank(ordered.Select(c => new AuctionBid(c.Product, c.ExpectedCommission)));
        if (ranked.Count == 0) return Allocators.NoWinner(ordered, Allocators.NoPositiveWeight(ordered.Count));
        var won = ranked[0];
        if (!explain) return Allocators.Unexplained(won.Product, won.Price);
        var how = Invariant($"Auction: every eligible lender is asked for a price; before bids, {won.Product.Label} leads at {won.Price:0.00}")
            + (ranked.Count > 1 ? Invariant($", ahead of {ranked[1].Product.Label} at {ranked[1].Price:0.00}.") : ", the only bidder.");
        var scores = ordered.Select(c => c.Product.Limits.Weight == 0 ? Allocators.Scored(c, 0m, Allocators.ZeroWeight) : Allocators.Scored(c, c.ExpectedCommission));
        return new AllocationResult(won.Product, [.. scores], how, won.Price);
    }
}
