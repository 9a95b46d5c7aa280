using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Lenders;

/// <summary>
/// The editable fields of a product. <see cref="Errors"/> mirrors the rules of the domain constructors
/// (<see cref="EligibilityCriteria"/>, <see cref="CommissionContract"/>) field by field, so the dialog can put each
/// message beside its field; the domain stays the judge when saving. The product's weight, priority, daily cap and
/// budget are not here: they belong to the versioned routing policy and change on the routing page only
/// (<see cref="Routing"/> shows them).
/// </summary>
public sealed class ProductForm
{
    public ProductId? Id { get; init; }
    public LenderId LenderId { get; init; }
    public string LenderCode { get; init; } = "";
    /// <summary>The version the operator opened; a save against a newer one is a conflict.</summary>
    public int Version { get; set; }

    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public ProductType Type { get; set; } = ProductType.CashLoan;
    public decimal MinAmount { get; set; } = 1_000m;
    public decimal MaxAmount { get; set; } = 50_000m;
    public int MinTermMonths { get; set; } = 3;
    public int MaxTermMonths { get; set; } = 24;
    public int MinAge { get; set; } = 22;
    public int MaxAge { get; set; } = 55;
    public int MinScore { get; set; }
    public decimal MinMonthlyIncome { get; set; }
    public IReadOnlyCollection<string> Provinces { get; set; } = [];
    public IReadOnlyCollection<Employment> Employment { get; set; } = [];
    public RiskTier MaxTier { get; set; } = RiskTier.C;
    /// <summary>Empty lends for any purpose.</summary>
    public IReadOnlyCollection<LoanPurpose> Purposes { get; set; } = [];
    /// <summary>The annual rate range, as fractions (0.08 = 8 %); both empty declares none.</summary>
    public decimal? AprMin { get; set; }
    public decimal? AprMax { get; set; }
    /// <summary>The routing settings the product has under the active policy, shown read-only; null for a new product.</summary>
    public ProductLimits? Routing { get; init; }
    public CommissionModel CommissionModel { get; set; } = CommissionModel.CPL;
    public decimal? CommissionAmount { get; set; }
    public decimal? CommissionRate { get; set; }

    public bool IsNew => Id is null;

    public static ProductForm NewFor(LenderRow lender) => new() { LenderId = lender.Id, LenderCode = lender.Code };

    public static ProductForm From(ProductRow product, string lenderCode) => new()
    {
        Id = product.Id,
        LenderId = product.LenderId,
        LenderCode = lenderCode,
        Version = product.Version,
        Code = product.Code,
        Name = product.Name,
        Type = product.Type,
        MinAmount = product.Criteria.MinAmount,
        MaxAmount = product.Criteria.MaxAmount,
        MinTermMonths = product.Criteria.MinTermMonths,
        MaxTermMonths = product.Criteria.MaxTermMonths,
        MinAge = product.Criteria.MinAge,
        MaxAge = product.Criteria.MaxAge,
        MinScore = product.Criteria.MinScore,
        MinMonthlyIncome = product.Criteria.MinMonthlyIncome,
        Provinces = [.. product.Criteria.Provinces],
        Employment = [.. product.Criteria.Employment],
        MaxTier = product.Criteria.MaxTier,
        Purposes = [.. product.Criteria.Purposes],
        AprMin = product.Apr?.Min,
        AprMax = product.Apr?.Max,
        Routing = product.Limits,
        CommissionModel = product.Commission.Model,
        CommissionAmount = product.Commission.Model == CommissionModel.CPS ? null : product.Commission.Amount,
        CommissionRate = product.Commission.Model == CommissionModel.CPS ? product.Commission.Rate : null,
    };

    /// <summary>The domain values of the form; throws <see cref="DomainException"/> with the domain's message when a rule is broken.</summary>
    public (EligibilityCriteria Criteria, CommissionContract Commission) ToDomain() => (
        new EligibilityCriteria(MinAmount, MaxAmount, MinTermMonths, MaxTermMonths, MinAge, MaxAge, MinScore, MinMonthlyIncome,
            [.. Provinces], [.. Employment], MaxTier, [.. Purposes]),
        CommissionContract.Create(CommissionModel, CommissionAmount ?? 0m, CommissionRate ?? 0m));

    /// <summary>The declared APR range, or null when both bounds are empty; throws <see cref="DomainException"/> like <see cref="ToDomain"/>.</summary>
    public AprRange? Apr() => AprMin is null && AprMax is null ? null : AprRange.Create(AprMin ?? 0m, AprMax ?? 0m);

    /// <summary>The message for each invalid field, keyed by property name.</summary>
    public IReadOnlyDictionary<string, string> Errors()
    {
        var errors = new Dictionary<string, string>();
        void Check(bool broken, string field, string message)
        {
            if (broken) errors.TryAdd(field, message);
        }

        var code = Code.Trim();
        Check(code.Length is 0 or > 32 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), nameof(Code),
            "Use 1–32 letters, digits, '-' or '_'.");
        Check(Name.Trim().Length is 0 or > 100, nameof(Name), "Enter a name of 1–100 characters.");

        Check(MinAmount <= 0m, nameof(MinAmount), "The minimum amount must be above 0.");
        Check(!Money.HasAtMostTwoPlaces(MinAmount), nameof(MinAmount), "Use at most two decimal places.");
        Check(!Money.HasAtMostTwoPlaces(MaxAmount), nameof(MaxAmount), "Use at most two decimal places.");
        Check(MaxAmount < MinAmount, nameof(MaxAmount), "The maximum amount must be at least the minimum.");

        Check(MinTermMonths < 1, nameof(MinTermMonths), "The minimum term is at least 1 month.");
        Check(MaxTermMonths > 360, nameof(MaxTermMonths), "The maximum term is at most 360 months.");
        Check(MaxTermMonths < MinTermMonths, nameof(MaxTermMonths), "The maximum term must be at least the minimum.");

        Check(MinAge < 18, nameof(MinAge), "The minimum age is at least 18.");
        Check(MaxAge > 100, nameof(MaxAge), "The maximum age is at most 100.");
        Check(MaxAge < MinAge, nameof(MaxAge), "The maximum age must be at least the minimum.");

        Check(MinScore is < 0 or > 1000, nameof(MinScore), "The minimum score must be between 0 and 1,000.");
        Check(MinMonthlyIncome < 0m, nameof(MinMonthlyIncome), "The minimum income cannot be negative.");
        Check(!Money.HasAtMostTwoPlaces(MinMonthlyIncome), nameof(MinMonthlyIncome), "Use at most two decimal places.");

        if (AprMin is not null || AprMax is not null)
        {
            Check(AprMin is null, nameof(AprMin), "Enter the lowest APR too, or clear both.");
            Check(AprMax is null, nameof(AprMax), "Enter the highest APR too, or clear both.");
            if (AprMin is { } low && AprMax is { } high && AprRange.ProblemWith(low, high) is { } aprProblem)
                Check(true, low <= 0m ? nameof(AprMin) : nameof(AprMax), aprProblem);
        }

        if (CommissionModel == CommissionModel.CPS)
        {
            Check(CommissionRate is not > 0m || CommissionRate > 1m, nameof(CommissionRate),
                "The rate must be above 0 and at most 1 (0.02 = 2 %).");
        }
        else
        {
            Check(CommissionAmount is not > 0m, nameof(CommissionAmount),
                CommissionModel == CommissionModel.Bid ? "The minimum bid must be above ¥0." : "The commission must be above ¥0.");
            Check(CommissionAmount is { } amount && !Money.HasAtMostTwoPlaces(amount), nameof(CommissionAmount), "Use at most two decimal places.");
        }
        return errors;
    }
}
