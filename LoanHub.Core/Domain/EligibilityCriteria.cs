using LoanHub.Core.Identity;

namespace LoanHub.Core.Domain;

/// <summary>
/// The filter set of one product. Empty <see cref="Provinces"/>, <see cref="Employment"/> or <see cref="Purposes"/> accept everyone.
/// </summary>
public sealed record EligibilityCriteria
{
    public decimal MinAmount { get; }
    public decimal MaxAmount { get; }
    public int MinTermMonths { get; }
    public int MaxTermMonths { get; }
    public int MinAge { get; }
    public int MaxAge { get; }
    public int MinScore { get; }
    public decimal MinMonthlyIncome { get; }
    public IReadOnlyList<string> Provinces { get; }
    public IReadOnlyList<Employment> Employment { get; }
    public RiskTier MaxTier { get; }
    /// <summary>The loan purposes the product lends for; empty lends for any.</summary>
    public IReadOnlyList<LoanPurpose> Purposes { get; }

    public static EligibilityCriteria Open { get; } = new(500m, 5_000_000m, 1, 120, 18, 100, 0, 0m, [], [], RiskTier.E);

    public EligibilityCriteria(decimal minAmount, decimal maxAmount, int minTermMonths, int maxTermMonths,
        int minAge, int maxAge, int minScore, decimal minMonthlyIncome,
        IReadOnlyList<string> provinces, IReadOnlyList<Employment> employment, RiskTier maxTier,
        IReadOnlyList<LoanPurpose>? purposes = null)
    {
        if (minAmount <= 0m || minAmount > maxAmount) throw new DomainException("The amount range needs 0 < minimum ≤ maximum.");
        if (minTermMonths < 1 || minTermMonths > maxTermMonths || maxTermMonths > 360)
            throw new DomainException("The term range needs 1 ≤ minimum ≤ maximum ≤ 360 months.");
        if (minAge < 18 || minAge > maxAge || maxAge > 100) throw new DomainException("The age range needs 18 ≤ minimum ≤ maximum ≤ 100.");
        if (minScore is < 0 or > 1000) throw new DomainException("The minimum score must be between 0 and 1,000.");
        if (minMonthlyIncome < 0m) throw new DomainException("The minimum monthly income cannot be negative.");
        var unknown = provinces.FirstOrDefault(p => !Identity.Provinces.IsKnown(p));
        if (unknown is not null) throw new DomainException($"Unknown province code '{unknown}'.");
        MinAmount = minAmount;
        MaxAmount = maxAmount;
        MinTermMonths = minTermMonths;
        MaxTermMonths = maxTermMonths;
        MinAge = minAge;
        MaxAge = maxAge;
        MinScore = minScore;
        MinMonthlyIncome = minMonthlyIncome;
        Provinces = provinces.Distinct().Order().ToArray();
        Employment = employment.Distinct().Order().ToArray();
        MaxTier = maxTier;
        // A criteria column written before products declared purposes has none: it lends for any.
        Purposes = (purposes ?? []).Distinct().Order().ToArray();
    }

    public bool Equals(EligibilityCriteria? other) =>
        other is not null && MinAmount == other.MinAmount && MaxAmount == other.MaxAmount
        && MinTermMonths == other.MinTermMonths && MaxTermMonths == other.MaxTermMonths
        && MinAge == other.MinAge && MaxAge == other.MaxAge && MinScore == other.MinScore
        && MinMonthlyIncome == other.MinMonthlyIncome && MaxTier == other.MaxTier
        && Provinces.SequenceEqual(other.Provinces) && Employment.SequenceEqual(other.Employment)
        && Purposes.SequenceEqual(other.Purposes);

    public override int GetHashCode() => HashCode.Combine(MinAmount, MaxAmount, MinTermMonths, MaxTermMonths, MinAge, MaxAge, MinScore, MaxTier);
}
