using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class AllocationTests
{
    private static string Draw(IAllocator allocator, IReadOnlyList<AllocationCandidate> candidates, WeightedRoundRobinState state) =>
        allocator.Allocate(candidates, state).Winner?.ProductCode ?? "-";

    private static string Sequence(IAllocator allocator, IReadOnlyList<AllocationCandidate> candidates, int picks, WeightedRoundRobinState? state = null)
    {
        state ??= new WeightedRoundRobinState();
        return string.Join(" ", Enumerable.Range(0, picks).Select(_ => Draw(allocator, candidates, state)));
    }

    [Fact]
    public void Weights_5_1_1_give_a_a_b_a_c_a_a()
    {
        AllocationCandidate[] candidates = [Candidate(Product("a", weight: 5)), Candidate(Product("b", weight: 1)), Candidate(Product("c", weight: 1))];

        Assert.Equal("a a b a c a a", Sequence(Allocators.Weighted, candidates, 7));
    }

    [Fact]
    public void Weighted_order_does_not_depend_on_the_order_products_are_listed()
    {
        AllocationCandidate[] candidates = [Candidate(Product("c", weight: 1)), Candidate(Product("b", weight: 1)), Candidate(Product("a", weight: 5))];

        Assert.Equal("a a b a c a a", Sequence(Allocators.Weighted, candidates, 7));
    }

    [Fact]
    public void Weighted_result_explains_the_draw_and_carries_the_winners_expected_commission()
    {
        var result = Allocators.Weighted.Allocate(
            [Candidate(Product("a", weight: 5), 12.5m), Candidate(Product("b", weight: 1), 3m)], new WeightedRoundRobinState());

        Assert.Equal("a", result.Winner?.ProductCode);
        Assert.Equal(12.5m, result.ExpectedCommission);
        Assert.Equal([5m, 1m], result.Candidates.Select(c => c.Score));
        Assert.Equal("Smooth weighted round-robin, total weight 6: current weights LENDER/a=5, LENDER/b=1; LENDER/a is highest, wins and gives back 6.", result.HowDrawn);
    }

    [Fact]
    public void A_product_with_weight_0_never_wins_under_any_strategy()
    {
        AllocationCandidate[] candidates = [Candidate(Product("a", weight: 1), 1m), Candidate(Product("z", weight: 0, priority: 0), 1_000m)];

        foreach (var strategy in Enum.GetValues<RoutingStrategy>())
            Assert.DoesNotContain("z", Sequence(Allocators.For(strategy), candidates, 5));
    }

    [Fact]
    public void No_positive_weight_means_no_winner()
    {
        var result = Allocators.Weighted.Allocate([Candidate(Product("a", weight: 0))], new WeightedRoundRobinState());

        Assert.Null(result.Winner);
        Assert.Equal(0m, result.ExpectedCommission);
        Assert.Equal("None of the 1 eligible products has a positive weight.", result.HowDrawn);
    }

    [Fact]
    public void Priority_waterfall_gives_every_lead_to_the_lowest_priority_number()
    {
        AllocationCandidate[] candidates = [Candidate(Product("first", priority: 1, weight: 1)), Candidate(Product("second", priority: 2, weight: 100))];

        Assert.Equal("first first first", Sequence(Allocators.Priority, candidates, 3));
    }

    [Fact]
    public void Priority_ties_share_leads_in_weighted_order()
    {
        AllocationCandidate[] candidates =
            [Candidate(Product("a", priority: 1, weight: 2)), Candidate(Product("b", priority: 1, weight: 1)), Candidate(Product("c", priority: 2, weight: 50))];

        Assert.Equal("a b a a b a", Sequence(Allocators.Priority, candidates, 6));
    }

    [Fact]
    public void Expected_value_picks_the_highest_expected_commission_scaled_by_weight()
    {
        AllocationCandidate[] candidates =
            [Candidate(Product("cheap", weight: 100), 10m), Candidate(Product("rich", weight: 100), 30m), Candidate(Product("tilted", weight: 400), 9m)];

        var result = Allocators.ExpectedValue.Allocate(candidates, new WeightedRoundRobinState());

        Assert.Equal("tilted", result.Winner?.ProductCode);
        Assert.Equal(9m, result.ExpectedCommission);
        Assert.Equal([36m, 30m, 10m], result.Candidates.Select(c => c.Score));
    }

    [Fact]
    public void Expected_value_ties_go_to_the_lower_priority_number_then_the_code()
    {
        AllocationCandidate[] byPriority = [Candidate(Product("a", priority: 2), 10m), Candidate(Product("b", priority: 1), 10m)];
        AllocationCandidate[] byCode = [Candidate(Product("b", priority: 1), 10m), Candidate(Product("a", priority: 1), 10m)];

        Assert.Equal("b b", Sequence(Allocators.ExpectedValue, byPriority, 2));
        Assert.Equal("a a", Sequence(Allocators.ExpectedValue, byCode, 2));
    }

    [Fact]
    public void A_cloned_state_replays_without_disturbing_live_routing()
    {
        AllocationCandidate[] candidates = [Candidate(Product("a", weight: 5)), Candidate(Product("b", weight: 1)), Candidate(Product("c", weight: 1))];
        var live = new WeightedRoundRobinState();
        Draw(Allocators.Weighted, candidates, live);

        var simulated = Sequence(Allocators.Weighted, candidates, 6, live.Clone());

        Assert.Equal("a b a c a a", simulated);
        Assert.Equal("a b a c a a", Sequence(Allocators.Weighted, candidates, 6, live));
    }

    [Fact]
    public void A_product_sitting_out_keeps_its_place_in_the_rotation()
    {
        var a = Candidate(Product("a", weight: 1));
        var b = Candidate(Product("b", weight: 1));
        var state = new WeightedRoundRobinState();

        Assert.Equal("a", Draw(Allocators.Weighted, [a, b], state));
        Assert.Equal("a", Draw(Allocators.Weighted, [a], state));
        Assert.Equal("b", Draw(Allocators.Weighted, [a, b], state));
    }
}
