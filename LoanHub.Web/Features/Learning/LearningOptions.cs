using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Learning;

/// <summary>How rates are learned from outcomes (<c>LoanHub:Learning</c>).</summary>
public sealed class LearningOptions
{
    public const string Section = "LoanHub:Learning";

    /// <summary>How often the counts are read from the store again and a new snapshot published.</summary>
    public int RefreshSeconds { get; set; } = 60;

    /// <summary>Only leads delivered within this many days count, so the rates follow what lenders do now.</summary>
    public int WindowDays { get; set; } = 90;

    /// <summary>How many outcomes each prior is worth.</summary>
    public double PriorStrength { get; set; } = 20;

    /// <summary>Fewer outcomes than this and a rate is shown as "too few outcomes to trust".</summary>
    public int MinOutcomes { get; set; } = 30;

    /// <summary>The least share of each eligible set's weight a weight suggestion leaves every tuned product (0.05 = 5 %): no lender starved.</summary>
    public double MinimumShare { get; set; } = 0.05;

    public TimeSpan RefreshEvery => TimeSpan.FromSeconds(Math.Max(1, RefreshSeconds));

    public TimeSpan Window => TimeSpan.FromDays(Math.Max(1, WindowDays));

    public RatePriors Priors => RatePriors.Default with { Strength = Math.Max(0, PriorStrength), MinOutcomes = Math.Max(0, MinOutcomes) };
}
