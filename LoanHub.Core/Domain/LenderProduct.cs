namespace LoanHub.Core.Domain;

/// <summary>One loan product of a lender: who it accepts, how much it takes, and what it pays.</summary>
public sealed class LenderProduct : IVersioned
{
    public ProductId Id { get; private set; }
    public LenderId LenderId { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public ProductType Type { get; private set; }
    public EligibilityCriteria Criteria { get; private set; } = EligibilityCriteria.Open;
    public ProductLimits Limits { get; private set; } = ProductLimits.Unlimited;
    public CommissionContract Commission { get; private set; } = CommissionContract.PerLead(1m);
    /// <summary>The annual rate range the lender declared, or null when it declared none.</summary>
    public AprRange? Apr { get; private set; }
    public bool IsActive { get; private set; } = true;
    public int Version { get; private set; }

    private LenderProduct() { }

    internal LenderProduct(LenderId lenderId, string code, string name, ProductType type,
        EligibilityCriteria criteria, CommissionContract commission)
    {
        Id = ProductId.New();
        LenderId = lenderId;
        Code = Codes.Checked(code, "product code");
        Limits = ProductLimits.Drained;
        Update(name, type, criteria, commission);
    }

    /// <summary>What the product is and accepts; its routing settings are the routing policy's (<see cref="Follow"/>).</summary>
    public void Update(string name, ProductType type, EligibilityCriteria criteria, CommissionContract commission)
    {
        Name = Codes.CheckedName(name, "product name");
        Type = type;
        Criteria = criteria;
        Commission = commission;
    }

    /// <summary>Declares the annual rate range the product lends at; null withdraws it.</summary>
    public void DeclareApr(AprRange? apr) => Apr = apr;

    /// <summary>
    /// Takes the weight, priority, daily cap and budget <paramref name="policy"/> gives this product, the only way they
    /// change: each change is a new policy version, simulated, commented and audited. A version that does not name the
    /// product (created after it) leaves the product as it is.
    /// </summary>
    public void Follow(RoutingPolicy policy) => Limits = policy.LimitsOf(Id, Code, Limits);

    public void Pause() => IsActive = false;
    public void Resume() => IsActive = true;
}

/// <summary>Daily lead cap, monthly commission budget (CNY), routing weight and waterfall priority.</summary>
public sealed record ProductLimits
{
    public int? DailyCap { get; }
    public decimal? MonthlyBudget { get; }
    public int Weight { get; }
    /// <summary>Lower runs first in a waterfall.</summary>
    public int Priority { get; }

    /// <summary>The largest weight a product may have; the routing page's slider and field go up to it.</summary>
    public const int MaxWeight = 10_000;
    /// <summary>The largest (latest) waterfall priority.</summary>
    public const int MaxPriority = 1_000;

    public static ProductLimits Unlimited { get; } = new(null, null, 1, 1);

    /// <summary>A new product's settings: weight 0 takes no leads until a routing policy version gives it a weight.</summary>
    public static ProductLimits Drained { get; } = new(null, null, 0, 1);

    public ProductLimits(int? dailyCap, decimal? monthlyBudget, int weight, int priority)
    {
        if (dailyCap is < 0) throw new DomainException("The daily cap cannot be negative.");
        if (monthlyBudget is { } budget && (budget < 0m || !Money.HasAtMostTwoPlaces(budget)))
            throw new DomainException("The monthly budget must be a non-negative CNY amount.");
        if (weight is < 0 or > MaxWeight) throw new DomainException("The weight must be between 0 and 10,000.");
        if (priority is < 0 or > MaxPriority) throw new DomainException("The priority must be between 0 and 1,000.");
        DailyCap = dailyCap;
        MonthlyBudget = monthlyBudget;
        Weight = weight;
        Priority = priority;
    }
}
