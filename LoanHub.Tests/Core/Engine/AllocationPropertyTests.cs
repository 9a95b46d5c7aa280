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

    [Property]
    public Property Weighted_shares_stay_within_one_lead_of_the_exact_share_after_any_number_of_picks() =>
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
                // |count − n·w/W| ≤ 1, kept in integers: |count·W − n·w| ≤ W, after every pick, not just the last.
                if (candidates.Any(c => Math.Abs(counts[c.Product.ProductCode] * total - n * c.Product.Limits.Weight) > total))
                    return false;
            }
            return true;
        });

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
}
