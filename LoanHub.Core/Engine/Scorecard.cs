using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// Scores applicants against one validated <see cref="ScorecardDefinition"/>. Immutable and free of
/// state, so one instance serves every request at once.
/// </summary>
public sealed class Scorecard
{
    /// <summary>Regulators and reviewers read a handful of reasons; more dilutes the explanation.</summary>
    public const int MaxReasons = 4;

    private readonly ScorecardDefinition _definition;

    public Scorecard(ScorecardDefinition definition)
    {
        var errors = definition.Validate();
        if (errors.Count > 0) throw new DomainException($"Scorecard {definition.Version} is invalid: {string.Join(" ", errors)}");
        _definition = definition;
    }

    public static Scorecard Default { get; } = new(ScorecardDefinition.Default);

    public ScorecardDefinition Definition => _definition;

    public ScoreResult Score(ApplicantProfile applicant, DateOnly today)
    {
        var d = _definition;
        var thinFile = applicant.BureauScore is null;
        AttributePoints[] attributes =
        [
            Ranged(ScoredAttribute.Age, d.Age, applicant.AgeOn(today)),
            Ranged(ScoredAttribute.MonthlyIncome, d.MonthlyIncome, applicant.MonthlyIncome),
            Ranged(ScoredAttribute.DebtToIncome, d.DebtToIncome, applicant.DebtToIncome),
            Ranged(ScoredAttribute.LoanToIncome, d.LoanToIncome, applicant.LoanToIncome),
            Employment(applicant.Employment),
            Ranged(ScoredAttribute.Term, d.TermMonths, applicant.TermMonths),
            Bureau(applicant.BureauScore),
        ];

        // Round once, at the end, so that the sum keeps every bin's monotony.
        var total = d.BaseScore + attributes.Sum(a => a.Points);
        var score = (int)Math.Round(total, MidpointRounding.AwayFromZero);

        var reasons = attributes
            .Select((a, order) => (a, order))
            .Where(x => x.a.PointsLost > 0m)
            .OrderByDescending(x => x.a.PointsLost)
            .ThenBy(x => x.order)
            .Take(MaxReasons)
            .Select(x => ReasonCode.For(x.a.Attribute, thinFile, x.a.PointsLost))
            .ToArray();

        return new ScoreResult(score, d.Tiers.TierOf(score), reasons, d.Version, attributes);
    }

    /// <summary>Good:bad odds a score stands for under this table's scaling.</summary>
    public double OddsAt(int score) => Math.Exp((double)((score - _definition.Offset) / _definition.Factor));

    private AttributePoints Ranged(ScoredAttribute attribute, IReadOnlyList<RangeBin> bins, decimal value)
    {
        var bin = bins.First(b => b.Below is not { } upper || value < upper);
        return Scored(attribute, _definition.PointsOf(bin), bins);
    }

    private AttributePoints Employment(Employment employment) =>
        Scored(ScoredAttribute.Employment,
            _definition.PointsOf(_definition.Employment.First(b => b.Employment == employment)),
            _definition.Employment);

    private AttributePoints Bureau(int? bureauScore)
    {
        // The best a bureau attribute can give is the top bureau bin or thin file, whichever is higher,
        // so a thin file is measured against having a good record.
        IEnumerable<BinValue> all = [.. _definition.BureauScore, _definition.ThinFile];
        return bureauScore is { } value
            ? Scored(ScoredAttribute.Bureau, _definition.PointsOf(_definition.BureauScore.First(b => b.Below is not { } upper || value < upper)), all)
            : Scored(ScoredAttribute.Bureau, _definition.PointsOf(_definition.ThinFile), all);
    }

    private AttributePoints Scored(ScoredAttribute attribute, decimal points, IEnumerable<BinValue> bins)
    {
        var best = bins.Max(_definition.PointsOf);
        return new AttributePoints(attribute, Math.Round(points, 2), Math.Round(best - points, 2));
    }
}

public enum ScoredAttribute { Age, MonthlyIncome, DebtToIncome, LoanToIncome, Employment, Term, Bureau }

/// <param name="Points">What this attribute added to the base score (negative when it cost points).</param>
/// <param name="PointsLost">How far below the best bin of the attribute the applicant landed.</param>
public sealed record AttributePoints(ScoredAttribute Attribute, decimal Points, decimal PointsLost);

/// <param name="Reasons">At most <see cref="Scorecard.MaxReasons"/>, the costliest attribute first.</param>
/// <param name="Attributes">Every attribute's points, for the decision timeline.</param>
public sealed record ScoreResult(
    int Score,
    RiskTier Tier,
    IReadOnlyList<ReasonCode> Reasons,
    string ScorecardVersion,
    IReadOnlyList<AttributePoints> Attributes);

/// <summary>A stable reason code (what integrations and reports key on) and its wording for people.</summary>
public sealed record ReasonCode(string Code, string Description, decimal PointsLost)
{
    public const string AgeRisk = "AGE_RISK";
    public const string IncomeLow = "INCOME_LOW";
    public const string DtiHigh = "DTI_HIGH";
    public const string LtiHigh = "LTI_HIGH";
    public const string EmploymentRisk = "EMPLOYMENT_RISK";
    public const string TermRisk = "TERM_RISK";
    public const string BureauLow = "BUREAU_LOW";
    public const string ThinFile = "THIN_FILE";

    public static ReasonCode For(ScoredAttribute attribute, bool thinFile, decimal pointsLost) => attribute switch
    {
        ScoredAttribute.Age => new(AgeRisk, "Age band with a higher default rate", pointsLost),
        ScoredAttribute.MonthlyIncome => new(IncomeLow, "Monthly income is low", pointsLost),
        ScoredAttribute.DebtToIncome => new(DtiHigh, "Existing debt payments are high relative to income", pointsLost),
        ScoredAttribute.LoanToIncome => new(LtiHigh, "Requested amount is high relative to annual income", pointsLost),
        ScoredAttribute.Employment => new(EmploymentRisk, "Employment type with a higher default rate", pointsLost),
        ScoredAttribute.Term => new(TermRisk, "Requested term with a higher default rate", pointsLost),
        ScoredAttribute.Bureau when thinFile => new(ThinFile, "No credit bureau record (thin file)", pointsLost),
        ScoredAttribute.Bureau => new(BureauLow, "Credit bureau score is low", pointsLost),
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, null),
    };
}
