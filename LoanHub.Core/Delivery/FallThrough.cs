using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Core.Delivery;

/// <summary>
/// Which products a lead may still be offered after its lenders' refusals: a refused product is not offered again, and a
/// pre-check refusal, being about the person (an existing customer, outside the lender's appetite), rules out every
/// product of that lender. One rule for the live delivery and for the what-if's replay of it.
/// </summary>
public sealed class FallThrough
{
    private readonly HashSet<ProductId> products = [];
    private readonly HashSet<LenderId> lenders = [];

    /// <summary>The product's lender refused the lead, or timed out, at the pre-check (<paramref name="atPrecheck"/>) or the post.</summary>
    public void Refused(ProductId product, LenderId lender, bool atPrecheck)
    {
        products.Add(product);
        if (atPrecheck) lenders.Add(lender);
    }

    /// <summary>Out for a reason of ours, not the lender's answer (capped or paused since it bid): the lender's other products stay in.</summary>
    public void Withdraw(ProductId product) => products.Add(product);

    public bool Allows(ProductSnapshot product) => !products.Contains(product.ProductId) && !lenders.Contains(product.LenderId);

    public void Clear()
    {
        products.Clear();
        lenders.Clear();
    }
}
