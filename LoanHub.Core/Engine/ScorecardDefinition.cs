using System.Text.Json;
using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// One version of the points scorecard, as data: the web host loads it from configuration or the
/// store (see <see cref="FromJson"/>), so changing the table is a reviewed config change, not a code change.
/// </summary>
/// <remarks>
/// <para>Scaling is the standard one. <c>Factor = PointsToDoubleOdds / ln 2</c> and
/// <c>Offset = BaseScore − Factor · ln(BaseOdds)</c>, so a score <c>s</c> means good:bad odds of
/// <c>exp((s − Offset) / Factor)</c>: <see cref="BaseScore"/> is the odds <see cref="BaseOdds"/>, and every
/// <see cref="PointsToDoubleOdds"/> points above it doubles them.</para>
/// <para>Each bin carries either <c>Points</c> directly, or <c>Woe</c> (the bin's weight of evidence, its
/// contribution to the log-odds), converted as <c>Factor · Woe</c>. The score is <see cref="BaseScore"/>
/// plus the points of the applicant's bin in every attribute, rounded once at the end: an applicant with
/// every bin at 0 has exactly the base odds.</para>
/// <para>Numeric bins are listed in ascending order; a bin holds values below its <c>Below</c>, and the last
/// bin has no <c>Below</c> and holds the rest. <see cref="Validate"/> also demands the table be monotone
/// where the business needs it to be: points never fall as income or bureau score rise, and never rise
/// as debt-to-income or loan-to-income rise.</para>
/// </remarks>
public sealed record ScorecardDefinition
{
    public string Version { get; init; } = "";
    public int BaseScore { get; init; }
    /// <summary>Good:bad odds at <see cref="BaseScore"/>, e.g. 50 for 50:1.</summary>
    public decimal BaseOdds { get; init; }
    public decimal PointsToDoubleOdds { get; init; }
    public TierCutoffs Tiers { get; init; } = new();

    /// <summary>Age in completed years on the decision day.</summary>
    public IReadOnlyList<RangeBin> Age { get; init; } = [];
    /// <summary>Declared monthly income, CNY.</summary>
    public IReadOnlyList<RangeBin> MonthlyIncome { get; init; } = [];
    /// <summary>Existing monthly debt service / monthly income.</summary>
    public IReadOnlyList<RangeBin> DebtToIncome { get; init; } = [];
    /// <summary>Requested amount / annual income.</summary>
    public IReadOnlyList<RangeBin> LoanToIncome { get; init; } = [];
    public IReadOnlyList<EmploymentBin> Employment { get; init; } = [];
    public IReadOnlyList<RangeBin> TermMonths { get; init; } = [];
    public IReadOnlyList<RangeBin> BureauScore { get; init; } = [];
    /// <summary>Used instead of <see cref="BureauScore"/> when the applicant has no bureau record.</summary>
    public BinValue ThinFile { get; init; } = new();

    [JsonIgnore]
    public decimal Factor => PointsToDoubleOdds / (decimal)Math.Log(2);

    [JsonIgnore]
    public decimal Offset => BaseScore - Factor * (decimal)Math.Log((double)BaseOdds);

    public static ScorecardDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<ScorecardDefinition>(json, EngineJson.Options)
        ?? throw new DomainException("The scorecard JSON is empty.");

    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>Every problem with the table, in words an admin can act on; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Version)) errors.Add("The scorecard needs a version.");
        if (BaseScore <= 0) errors.Add("The base score must be positive.");
        if (BaseOdds <= 0m) errors.Add("The base odds must be positive.");
        if (PointsToDoubleOdds <= 0m) errors.Add("The points to double the odds must be positive.");
        if (!(Tiers.A > Tiers.B && Tiers.B > Tiers.C && Tiers.C > Tiers.D))
            errors.Add("Tier cut-offs must fall strictly from A to D.");

        CheckRanges(nameof(Age), Age, Monotony.Free, errors);
        CheckRanges(nameof(MonthlyIncome), MonthlyIncome, Monotony.Rising, errors);
        CheckRanges(nameof(DebtToIncome), DebtToIncome, Monotony.Falling, errors);
        CheckRanges(nameof(LoanToIncome), LoanToIncome, Monotony.Falling, errors);
        CheckRanges(nameof(TermMonths), TermMonths, Monotony.Free, errors);
        CheckRanges(nameof(BureauScore), BureauScore, Monotony.Rising, errors);
        CheckValue(nameof(ThinFile), ThinFile, errors);

        foreach (var bin in Employment) CheckValue($"{nameof(Employment)} {bin.Employment}", bin, errors);
        var missing = Enum.GetValues<Domain.Employment>().Except(Employment.Select(b => b.Employment)).ToArray();
        if (missing.Length > 0) errors.Add($"Employment has no bin for {string.Join(", ", missing)}.");
        var repeated = Employment.GroupBy(b => b.Employment).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) errors.Add($"Employment has more than one bin for {string.Join(", ", repeated)}.");
        return errors;
    }

    /// <summary>Points of a bin under this table's scaling.</summary>
    public decimal PointsOf(BinValue bin) => bin.Points ?? Factor * (bin.Woe ?? 0m);

    private enum Monotony { Free, Rising, Falling }

    private void CheckRanges(string name, IReadOnlyList<RangeBin> bins, Monotony monotony, List<string> errors)
    {
        if (bins.Count == 0)
        {
            errors.Add($"{name} has no bins.");
            return;
        }
        for (var i = 0; i < bins.Count; i++)
        {
            var bin = bins[i];
            CheckValue($"{name} bin {i + 1}", bin, errors);
            var isLast = i == bins.Count - 1;
            if (isLast && bin.Below is not null) errors.Add($"The last {name} bin must be open-ended (no Below).");
            if (!isLast && bin.Below is null) errors.Add($"Only the last {name} bin may be open-ended.");
            if (i > 0 && bin.Below is { } upper && bins[i - 1].Below is { } previous && upper <= previous)
                errors.Add($"{name} bins must be in ascending order of Below.");
            if (i == 0 || !HasValue(bin) || !HasValue(bins[i - 1])) continue;
            var step = PointsOf(bin) - PointsOf(bins[i - 1]);
            if (monotony == Monotony.Rising && step < 0m) errors.Add($"{name} points must not fall as the value rises (bin {i + 1}).");
            if (monotony == Monotony.Falling && step > 0m) errors.Add($"{name} points must not rise as the value rises (bin {i + 1}).");
        }
    }

    private static bool HasValue(BinValue bin) => bin.Points is null != bin.Woe is null;

    private static void CheckValue(string name, BinValue bin, List<string> errors)
    {
        if (!HasValue(bin)) errors.Add($"{name} needs exactly one of Points or Woe.");
    }

    /// <summary>
    /// The shipped table, version <c>default-2025.1</c>: 600 points at 50:1 good:bad, 20 points to double
    /// the odds (Factor ≈ 28.85). Values are weights of evidence in the shape of consumer-credit
    /// experience, not fitted to LoanHub data yet; refit them once outcomes accumulate.
    /// Scores run from about 385 (every worst bin) to about 670 (every best bin); a typical salaried
    /// applicant earning ¥8,000 with a 680 bureau score asking ¥50,000 over 12 months scores about 625 (B).
    /// Tiers: A ≥ 640, B ≥ 610, C ≥ 570, D ≥ 480, E below 480 — E matches the default reject floor.
    /// </summary>
    public static ScorecardDefinition Default { get; } = new()
    {
        Version = "default-2025.1",
        BaseScore = 600,
        BaseOdds = 50m,
        PointsToDoubleOdds = 20m,
        Tiers = new TierCutoffs { A = 640, B = 610, C = 570, D = 480 },
        // Very young applicants have short histories and volatile income; risk rises again near retirement.
        Age =
        [
            new() { Below = 20, Woe = -0.60m },
            new() { Below = 23, Woe = -0.30m },
            new() { Below = 30, Woe = 0.00m },
            new() { Below = 45, Woe = 0.15m },
            new() { Below = 55, Woe = 0.10m },
            new() { Below = 60, Woe = -0.10m },
            new() { Woe = -0.40m },
        ],
        MonthlyIncome =
        [
            new() { Below = 2_000, Woe = -1.00m },
            new() { Below = 3_500, Woe = -0.60m },
            new() { Below = 5_000, Woe = -0.30m },
            new() { Below = 8_000, Woe = 0.00m },
            new() { Below = 12_000, Woe = 0.20m },
            new() { Below = 20_000, Woe = 0.35m },
            new() { Below = 40_000, Woe = 0.50m },
            new() { Woe = 0.60m },
        ],
        DebtToIncome =
        [
            new() { Below = 0.10m, Woe = 0.30m },
            new() { Below = 0.25m, Woe = 0.15m },
            new() { Below = 0.40m, Woe = -0.10m },
            new() { Below = 0.55m, Woe = -0.45m },
            new() { Below = 0.70m, Woe = -0.90m },
            new() { Woe = -1.40m },
        ],
        LoanToIncome =
        [
            new() { Below = 0.25m, Woe = 0.25m },
            new() { Below = 0.50m, Woe = 0.10m },
            new() { Below = 1.00m, Woe = -0.10m },
            new() { Below = 2.00m, Woe = -0.45m },
            new() { Below = 4.00m, Woe = -0.90m },
            new() { Woe = -1.30m },
        ],
        Employment =
        [
            new() { Employment = Domain.Employment.Salaried, Woe = 0.20m },
            new() { Employment = Domain.Employment.SelfEmployed, Woe = -0.10m },
            new() { Employment = Domain.Employment.BusinessOwner, Woe = 0.10m },
            new() { Employment = Domain.Employment.Student, Woe = -0.70m },
            new() { Employment = Domain.Employment.Retired, Woe = 0.00m },
            new() { Employment = Domain.Employment.Unemployed, Woe = -1.20m },
        ],
        // Very short terms look like bridging a cash shortfall; long terms carry more time to default.
        TermMonths =
        [
            new() { Below = 4, Woe = -0.20m },
            new() { Below = 13, Woe = 0.10m },
            new() { Below = 25, Woe = 0.05m },
            new() { Below = 37, Woe = -0.05m },
            new() { Below = 61, Woe = -0.20m },
            new() { Woe = -0.35m },
        ],
        BureauScore =
        [
            new() { Below = 500, Woe = -1.60m },
            new() { Below = 550, Woe = -1.10m },
            new() { Below = 600, Woe = -0.60m },
            new() { Below = 650, Woe = -0.20m },
            new() { Below = 700, Woe = 0.15m },
            new() { Below = 750, Woe = 0.40m },
            new() { Below = 800, Woe = 0.60m },
            new() { Woe = 0.80m },
        ],
        // No record is weaker evidence than a middling one, but far better than a poor one.
        ThinFile = new BinValue { Woe = -0.40m },
    };
}

/// <summary>Minimum score of each tier; anything below <see cref="D"/> is E.</summary>
public sealed record TierCutoffs
{
    public int A { get; init; }
    public int B { get; init; }
    public int C { get; init; }
    public int D { get; init; }

    public RiskTier TierOf(int score) =>
        score >= A ? RiskTier.A
        : score >= B ? RiskTier.B
        : score >= C ? RiskTier.C
        : score >= D ? RiskTier.D
        : RiskTier.E;
}

/// <summary>The value of one bin: either <see cref="Points"/> or a weight of evidence <see cref="Woe"/>.</summary>
public record BinValue
{
    public decimal? Points { get; init; }
    public decimal? Woe { get; init; }
}

/// <summary>A numeric bin holding values below <see cref="Below"/> (and at or above the previous bin's bound).</summary>
public sealed record RangeBin : BinValue
{
    /// <summary>Exclusive upper bound; null on the last, open-ended bin.</summary>
    public decimal? Below { get; init; }
}

public sealed record EmploymentBin : BinValue
{
    public Employment Employment { get; init; }
}
