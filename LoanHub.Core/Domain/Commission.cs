namespace LoanHub.Core.Domain;

public enum CommissionModel
{
    /// <summary>Cost per lead: a fixed amount when the lead is delivered.</summary>
    CPL,
    /// <summary>Cost per acquisition: a fixed amount when the lender approves.</summary>
    CPA,
    /// <summary>Cost per sale: a share of the funded amount.</summary>
    CPS,
    /// <summary>Sold at auction (ping-post): the price the lender bid at pre-check, on delivery, never below a minimum.</summary>
    Bid,
}

/// <summary>What a lender pays for a lead under one product's contract.</summary>
public sealed record CommissionContract
{
    public CommissionModel Model { get; }
    /// <summary>CNY per lead (CPL), per approval (CPA) or the lowest acceptable bid (Bid); zero for CPS.</summary>
    public decimal Amount { get; }
    /// <summary>The lowest bid a Bid product accepts; a lower one counts as a refusal.</summary>
    public decimal MinPrice => Model == CommissionModel.Bid ? Amount : 0m;
    /// <summary>Share of the funded amount for CPS (0.02 = 2 %); zero otherwise.</summary>
    public decimal Rate { get; }

    private CommissionContract(CommissionModel model, decimal amount, decimal rate)
    {
        Model = model;
        Amount = amount;
        Rate = rate;
    }

    public static CommissionContract PerLead(decimal amount) => new(CommissionModel.CPL, CheckedAmount(amount), 0m);
    public static CommissionContract PerApproval(decimal amount) => new(CommissionModel.CPA, CheckedAmount(amount), 0m);
    public static CommissionContract PerBid(decimal minPrice) => new(CommissionModel.Bid, CheckedAmount(minPrice), 0m);
    public static CommissionContract PerSale(decimal rate)
    {
        if (rate <= 0m || rate > 1m)
            throw new DomainException("A CPS rate must be above 0 and at most 1 (100 %).");
        return new(CommissionModel.CPS, 0m, rate);
    }

    public static CommissionContract Create(CommissionModel model, decimal amount, decimal rate) => model switch
    {
        CommissionModel.CPL => PerLead(amount),
        CommissionModel.CPA => PerApproval(amount),
        CommissionModel.CPS => PerSale(rate),
        CommissionModel.Bid => PerBid(amount),
        _ => throw new DomainException($"Unknown commission model {model}."),
    };

    /// <summary>The event on which this contract earns, and so the one entry it books per lead.</summary>
    public CommissionEvent EarnsOn => EventPaidBy(Model);

    /// <summary>The event a contract of <paramref name="model"/> pays on: delivery (CPL, Bid), approval (CPA), funding (CPS).</summary>
    public static CommissionEvent EventPaidBy(CommissionModel model) => model switch
    {
        CommissionModel.CPL or CommissionModel.Bid => CommissionEvent.Delivered,
        CommissionModel.CPA => CommissionEvent.Approved,
        _ => CommissionEvent.Funded,
    };

    /// <summary>The commission earned by <paramref name="commissionEvent"/>, rounded half away from zero to the fen.</summary>
    /// <param name="bid">For a Bid product, the price its lender bid and won the lead at.</param>
    public decimal Earned(CommissionEvent commissionEvent, decimal? fundedAmount = null, decimal? bid = null)
    {
        if (commissionEvent != EarnsOn) return 0m;
        if (Model == CommissionModel.Bid)
        {
            if (bid is not { } price || !AcceptsBid(price))
                throw new DomainException($"A Bid product earns the accepted bid, at least {MinPrice:N2}.");
            return Money.Round(price);
        }
        if (Model != CommissionModel.CPS) return Amount;
        if (fundedAmount is not { } funded || funded <= 0m)
            throw new DomainException("A CPS commission needs a positive funded amount.");
        return Money.Round(funded * Rate);
    }

    /// <summary>A bid a Bid product can be sold at: at least its minimum price, in whole fen.</summary>
    public bool AcceptsBid(decimal price) => Model == CommissionModel.Bid && price >= MinPrice && Money.HasAtMostTwoPlaces(price);

    public override string ToString() => Model switch
    {
        CommissionModel.CPS => $"CPS {Rate:P2}",
        CommissionModel.Bid => $"Bid ≥ ¥{MinPrice:N2}",
        _ => $"{Model} ¥{Amount:N2}",
    };

    private static decimal CheckedAmount(decimal amount)
    {
        if (amount <= 0m || !Money.HasAtMostTwoPlaces(amount))
            throw new DomainException("A commission amount must be positive with at most two decimal places.");
        return amount;
    }
}
