namespace LoanHub.Core.Domain;

public enum CommissionModel
{
    /// <summary>Cost per lead: a fixed amount when the lead is delivered.</summary>
    CPL,
    /// <summary>Cost per acquisition: a fixed amount when the lender approves.</summary>
    CPA,
    /// <summary>Cost per sale: a share of the funded amount.</summary>
    CPS,
}

/// <summary>What a lender pays for a lead under one product's contract.</summary>
public sealed record CommissionContract
{
    public CommissionModel Model { get; }
    /// <summary>CNY per lead (CPL) or per approval (CPA); zero for CPS.</summary>
    public decimal Amount { get; }
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
        _ => throw new DomainException($"Unknown commission model {model}."),
    };

    /// <summary>The event on which this contract earns, and so the one entry it books per lead.</summary>
    public CommissionEvent EarnsOn => Model switch
    {
        CommissionModel.CPL => CommissionEvent.Delivered,
        CommissionModel.CPA => CommissionEvent.Approved,
        _ => CommissionEvent.Funded,
    };

    /// <summary>The commission earned by <paramref name="commissionEvent"/>, rounded half away from zero to the fen.</summary>
    public decimal Earned(CommissionEvent commissionEvent, decimal? fundedAmount = null)
    {
        if (commissionEvent != EarnsOn) return 0m;
        if (Model != CommissionModel.CPS) return Amount;
        if (fundedAmount is not { } funded || funded <= 0m)
            throw new DomainException("A CPS commission needs a positive funded amount.");
        return Money.Round(funded * Rate);
    }

    public override string ToString() => Model == CommissionModel.CPS ? $"CPS {Rate:P2}" : $"{Model} ¥{Amount:N2}";

    private static decimal CheckedAmount(decimal amount)
    {
        if (amount <= 0m || !Money.HasAtMostTwoPlaces(amount))
            throw new DomainException("A commission amount must be positive with at most two decimal places.");
        return amount;
    }
}
