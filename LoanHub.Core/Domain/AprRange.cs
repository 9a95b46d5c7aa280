using System.Globalization;

namespace LoanHub.Core.Domain;

/// <summary>
/// The annual percentage rate a product lends at, lowest to highest (0.08 = 8 %), shown to operators and reviewers.
/// </summary>
/// <remarks>
/// The ceiling is 36 %: the Supreme People's Court's 2015 private-lending provisions void interest above 36 % a year,
/// and the 2017 notice on cash loans (整治办函〔2017〕141号) forbids lending whose all-in annual cost exceeds it. 24 % is
/// the line above which courts do not enforce interest and regulators press licensed lenders to stay below, so a
/// range reaching above it is allowed but flagged (<see cref="AboveSupervisoryLine"/>).
/// </remarks>
public sealed record AprRange
{
    public const decimal Ceiling = 0.36m;
    public const decimal SupervisoryLine = 0.24m;

    public decimal Min { get; }
    public decimal Max { get; }

    private AprRange(decimal min, decimal max)
    {
        Min = min;
        Max = max;
    }

    public static AprRange Create(decimal min, decimal max) =>
        ProblemWith(min, max) is { } problem ? throw new DomainException(problem) : new AprRange(min, max);

    /// <summary>The broken rule in words, or null when 0 &lt; min ≤ max ≤ 36 %.</summary>
    public static string? ProblemWith(decimal min, decimal max) =>
        min <= 0m ? "The lowest APR must be above 0."
        : max < min ? "The highest APR must be at least the lowest."
        : max > Ceiling ? "The highest APR may be at most 0.36 (36 %, the legal ceiling for lending in China)."
        : null;

    /// <summary>Reaches above the 24 % line: lawful, but interest above it is not enforced by the courts.</summary>
    public bool AboveSupervisoryLine => Max > SupervisoryLine;

    /// <summary>"8–24 %", or "18 %" for a single rate.</summary>
    public override string ToString() => Min == Max
        ? string.Create(CultureInfo.InvariantCulture, $"{Min * 100m:0.##} %")
        : string.Create(CultureInfo.InvariantCulture, $"{Min * 100m:0.##}–{Max * 100m:0.##} %");
}
