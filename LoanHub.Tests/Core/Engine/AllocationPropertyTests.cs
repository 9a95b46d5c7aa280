using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class AllocationPropertyTests
{
    private static Gen<int[]> Weights => Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 50), n));

    // What smooth weighted round-robin guarantees, and no more: a run of FsCheck found weights (3, 5, 21, 41, 47, 45)
    // where the 41 falls 163/162 of a lead behind after 83 picks, so "within one lead either way" is not a property.
    [Property]
    public Property Weighted_shares_are_never_a_lead_ahead_never_two_behind_and_exact_after_each_whole_cycle() =>
        Prop.ForAll(Gen.Zip(Weights, Gen.Choose(1, 300)).ToArbitrary(), x =>
        {
            var (weights, picks) = x;
            var candidates = weights.Select((w, i) => Candidate(Product($"p{i:00}", weight: w))).ToArray();
            var state = new WeightedRoundRobinState();
            var counts = candidates.ToDictionary(c => c.Product.ProductCode, _ => 0);
            var total = weights.Sum();
            for (var n = 1; n <= picks; n++)
            {
                counts[Allocators.Weighted.Allocate(candidates, state).Winner!.ProductCode]++;
                // Kept in integers: count·W − n·w is how far ahead of its exact share a product is, in W-ths of a lead.
                foreach (var c in candidates)
                {
                    var ahead = counts[c.Product.ProductCode] * total - n * c.Product.Limits.Weight;
                    if (ahead >= total || ahead < -2 * total) return false;
                    if (n % total == 0 && ahead != 0) return false;
                }
            }
            return true;
        });

    [Fact]
    public void The_weights_that_broke_the_one_lead_claim_stay_within_the_true_bounds()
    {
        int[] weights = [3, 5, 21, 41, 47, 45];
        var candidates = weights.Select((w, i) => Candidate(Product($"p{i:00}", weight: w))).ToArray();
        var state = new WeightedRoundRobinState();
        var count41 = 0;
        for (var n = 1; n <= 83; n++)
            if (Allocators.Weighted.Allocate(candidates, state).Winner!.ProductCode == "p03") count41++;
        // 83 · 41 / 162 = 21.006 leads owed; 20 given: just over one behind, as the nginx algorithm allows.
        Assert.Equal(20, count41);
        Assert.Equal(163, state.CurrentWeightOf(candidates[3].Product.ProductId));
    }

    private static Gen<(int[] Caps, int Leads, RoutingStrategy Strategy)> CapsLeadsAndStrategy =>
        from caps in Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 6), n))
        from leads in Gen.Choose(0, 40)
        from strategy in Gen.Elements(Enum.GetValues<RoutingStrategy>())
        select (caps, leads, strategy);

    [Property]
    public Property Daily_caps_are_never_exceeded_and_capacity_is_used_before_unmatching() =>
        Prop.ForAll(CapsLeadsAndStrategy.ToArbitrary(), x =>
        {
            var (caps, leads, strategy) = x;
            var products = caps.Select((cap, i) => Product($"p{i}", weight: 1 + i, priority: i % 2, dailyCap: cap)).ToArray();
            var usage = products.ToDictionary(p => p.ProductId, _ => 0);
            var state = new WeightedRoundRobinState();
            var routed = 0;
            for (var n = 0; n < leads; n++)
            {
                var offers = products.Select(p => new ProductOffer(p, new ProductUsage(usage[p.ProductId], 0m))).ToArray();
                var record = DecisionEngine.Default.Decide(Applicant(), FraudFindings.None, offers, strategy, state, Today);
                if (record.RoutedTo is not { } winner) continue;
                usage[winner.ProductId]++;
                routed++;
            }
            return products.All(p => usage[p.ProductId] <= p.Limits.DailyCap) && routed == Math.Min(leads, caps.Sum());
        });

    // Products with colliding lender and product codes, listed in any order, some already in the canonical order.
    private static Gen<(string Lender, string Code, int Weight, int Priority, decimal Expected)> Listing =>
        from lender in Gen.Elements("L1", "L2", "L3")
        from code in Gen.Elements("A", "B")
        from weight in Gen.Choose(0, 40)
        from priority in Gen.Choose(0, 2)
        from expected in Gen.Choose(0, 90)
        select (lender, code, weight, priority, (decimal)expected);

    private static Gen<(ProductSnapshot[] Products, decimal[] Expected, bool Sorted, RoutingStrategy Strategy, int Picks)> Listed =>
        from listings in Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Listing, n))
        from sorted in Gen.Elements(true, false)
        from strategy in Gen.Elements(Enum.GetValues<RoutingStrategy>())
        from picks in Gen.Choose(1, 12)
        select ((ProductSnapshot[])[.. listings.Select(l => Product(l.Code, weight: l.Weight, priority: l.Priority, lender: l.Lender))],
            listings.Select(l => l.Expected).ToArray(), sorted, strategy, picks);

    [Property]
    public Property An_allocation_without_its_explanation_picks_the_same_winner_commission_and_round_robin_pick() =>
        Prop.ForAll(Listed.ToArbitrary(), x =>
        {
            var candidates = x.Products.Select((p, i) => Candidate(p, x.Expected[i])).ToList();
            if (x.Sorted) candidates.Sort((a, b) => Allocators.CanonicalOrder(a.Product, b.Product));
            var allocator = Allocators.For(x.Strategy);
            WeightedRoundRobinState explained = new(), unexplained = new();
            for (var n = 0; n < x.Picks; n++)
            {
                var full = allocator.Allocate(candidates, explained);
                var lean = allocator.Allocate(candidates, unexplained, explain: false);
                if (full.Winner != lean.Winner || full.ExpectedCommission != lean.ExpectedCommission) return false;
                if ((full.Pick is null) != (lean.Pick is null)) return false;
                if (full.Pick is { } pick && (pick.Winner != lean.Pick!.Winner || !pick.Participants.SequenceEqual(lean.Pick.Participants))) return false;
                if (full.Winner is not null && (lean.HowDrawn != "" || lean.Candidates.Count != 0)) return false;
            }
            return true;
        });

    [Property]
    public Property The_canonical_order_is_lender_then_product_then_id_whatever_order_the_host_lists_products_in() =>
        Prop.ForAll(Listed.ToArbitrary(), x =>
        {
            var candidates = x.Products.Select(p => Candidate(p)).ToList();
            if (x.Sorted) candidates.Sort((a, b) => Allocators.CanonicalOrder(a.Product, b.Product));
            var expected = candidates.OrderBy(c => c.Product.LenderCode, StringComparer.Ordinal).ThenBy(c => c.Product.ProductCode, StringComparer.Ordinal)
                .ThenBy(c => c.Product.ProductId.Value).Select(c => c.Product.ProductId);
            // The weighted allocator lists every candidate's score in canonical order.
            var listed = Allocators.Weighted.Allocate(candidates, new WeightedRoundRobinState()).Candidates.Select(c => c.ProductId);
            return listed.SequenceEqual(expected);
        });
}
