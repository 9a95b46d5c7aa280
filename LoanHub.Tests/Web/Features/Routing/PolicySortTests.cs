using LoanHub.Core.Domain;
using LoanHub.Web.Features.Routing;

namespace LoanHub.Tests.Web.Features.Routing;

public class PolicySortTests
{
    private static ProductSetting Product(string lender, string code, int weight, int priority, int? cap, decimal? budget, bool active = true) =>
        new(ProductId.New(), lender, lender, code, code, active, weight, priority, cap, budget, CommissionContract.PerLead(30m));

    private static readonly ProductSetting Cash = Product("L1", "L1-CASH", weight: 50, priority: 2, cap: 100, budget: 50_000m);
    private static readonly ProductSetting Inst = Product("L1", "L1-INST", weight: 30, priority: 1, cap: null, budget: null);
    private static readonly ProductSetting Micro = Product("L2", "L2-MICRO", weight: 30, priority: 3, cap: 200, budget: 20_000m);
    private static readonly RoutingProposal Proposal = new(RoutingStrategy.Weighted, [Micro, Inst, Cash]);
    private static readonly ActualShares Actual = new(7, new Dictionary<ProductId, int> { [Cash.ProductId] = 1, [Micro.ProductId] = 3 });

    private static string[] Codes(PolicySort sort) => [.. sort.Apply(Proposal, Actual).Select(p => p.ProductCode)];

    [Fact]
    public void Before_any_heading_is_pressed_products_are_in_lender_and_product_code_order() =>
        Assert.Equal(["L1-CASH", "L1-INST", "L2-MICRO"], Codes(PolicySort.ByProduct));

    [Theory]
    [InlineData(PolicyColumn.Weight, new[] { "L1-INST", "L2-MICRO", "L1-CASH" })]
    [InlineData(PolicyColumn.TargetShare, new[] { "L1-INST", "L2-MICRO", "L1-CASH" })]
    [InlineData(PolicyColumn.ActualShare, new[] { "L1-INST", "L1-CASH", "L2-MICRO" })]
    [InlineData(PolicyColumn.Priority, new[] { "L1-INST", "L1-CASH", "L2-MICRO" })]
    [InlineData(PolicyColumn.DailyCap, new[] { "L1-CASH", "L2-MICRO", "L1-INST" })]
    [InlineData(PolicyColumn.MonthlyBudget, new[] { "L2-MICRO", "L1-CASH", "L1-INST" })]
    public void A_column_sorts_ascending_ties_by_code_and_no_limit_above_every_number(PolicyColumn column, string[] expected) =>
        Assert.Equal(expected, Codes(PolicySort.ByProduct.Toggle(column)));

    [Fact]
    public void Pressing_the_sorted_heading_again_sorts_the_other_way_ties_still_by_code()
    {
        var byWeight = PolicySort.ByProduct.Toggle(PolicyColumn.Weight);

        var descending = byWeight.Toggle(PolicyColumn.Weight);

        Assert.True(descending.Descending);
        Assert.Equal(["L1-CASH", "L1-INST", "L2-MICRO"], Codes(descending));
        Assert.Equal(["L2-MICRO", "L1-INST", "L1-CASH"], Codes(PolicySort.ByProduct.Toggle(PolicyColumn.Product)));
        Assert.False(descending.Toggle(PolicyColumn.Priority).Descending);
    }
}
