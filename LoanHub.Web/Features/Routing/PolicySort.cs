namespace LoanHub.Web.Features.Routing;

/// <summary>A column the policy tables sort by.</summary>
public enum PolicyColumn { Product, Weight, TargetShare, ActualShare, Priority, DailyCap, MonthlyBudget }

/// <summary>
/// How the policy tables order their products: by one column, either way. Ties, and the order before any header is
/// pressed, are by lender and product code. No daily cap or budget is no limit: it sorts above every number.
/// </summary>
public sealed record PolicySort(PolicyColumn Column, bool Descending)
{
    public static PolicySort ByProduct { get; } = new(PolicyColumn.Product, false);

    /// <summary>The sort once the header of <paramref name="column"/> is pressed: that column ascending, or the other way when it sorts already.</summary>
    public PolicySort Toggle(PolicyColumn column) => column == Column ? this with { Descending = !Descending } : new(column, false);

    public IReadOnlyList<ProductSetting> Apply(RoutingProposal proposal, ActualShares actual)
    {
        var byCode = proposal.Products.OrderBy(p => p.LenderCode, StringComparer.Ordinal).ThenBy(p => p.ProductCode, StringComparer.Ordinal).ToList();
        if (Column == PolicyColumn.Product) return Descending ? [.. Enumerable.Reverse(byCode)] : byCode;
        Func<ProductSetting, decimal> key = Column switch
        {
            PolicyColumn.Weight => p => p.Weight,
            PolicyColumn.TargetShare => p => proposal.ShareOf(p) ?? -1m,
            PolicyColumn.ActualShare => p => actual.ShareOf(p.ProductId) ?? 0m,
            PolicyColumn.Priority => p => p.Priority,
            PolicyColumn.DailyCap => p => p.DailyCap ?? decimal.MaxValue,
            _ => p => p.MonthlyBudget ?? decimal.MaxValue,
        };
        return Descending ? [.. byCode.OrderByDescending(key)] : [.. byCode.OrderBy(key)];
    }
}
