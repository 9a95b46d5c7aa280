using MathNet.Numerics.Distributions;

namespace LoanHub.Core.Engine;

/// <summary>
/// One rate learned from outcomes: the raw counts behind it, the prior it is shrunk toward, the shrunk value and its
/// credible interval. With a Beta(<c>k·prior</c>, <c>k·(1 − prior)</c>) prior and <c>s</c> successes in <c>n</c>
/// trials the posterior is Beta(<c>k·prior + s</c>, <c>k·(1 − prior) + n − s</c>); its mean
/// <c>(s + k·prior) / (n + k)</c> is <see cref="Value"/>, always between the raw rate <c>s / n</c> and the prior, and
/// nearer the raw rate the more trials there are. <c>k</c> (<see cref="PriorStrength"/>) is how many outcomes the prior
/// is worth: ten outcomes against a prior worth twenty move a product only a third of the way to what they show.
/// </summary>
/// <param name="Successes">May be fractional: a funding ratio counts each funded lead as its share of the amount asked for.</param>
/// <param name="Lower">The 5 % quantile of the posterior (a 90 % equal-tailed credible interval).</param>
/// <param name="Upper">The 95 % quantile of the posterior.</param>
/// <param name="TooFew">Fewer trials than the minimum to trust: the value is mostly the prior.</param>
public sealed record RateEstimate(double Successes, int Trials, double Prior, double PriorStrength, double Value, double Lower, double Upper, bool TooFew)
{
    /// <summary>The share of the interval: 90 %, from the 5 % to the 95 % quantile.</summary>
    public const double Credibility = 0.90;

    /// <summary>What the counts alone say; null without a trial.</summary>
    public double? Raw => Trials == 0 ? null : Successes / Trials;

    /// <summary>Shrinks <paramref name="successes"/> of <paramref name="trials"/> toward <paramref name="prior"/> worth <paramref name="strength"/> trials.</summary>
    public static RateEstimate Shrink(double successes, int trials, double prior, double strength, int minTrials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(strength);
        prior = Math.Clamp(prior, 0d, 1d);
        successes = Math.Clamp(successes, 0d, trials);
        var alpha = strength * prior + successes;
        var beta = strength * (1d - prior) + (trials - successes);
        var value = alpha + beta == 0d ? prior : alpha / (alpha + beta);
        var (lower, upper) = Interval(alpha, beta, value);
        return new RateEstimate(successes, trials, prior, strength, value, lower, upper, trials < minTrials);
    }

    // A prior of exactly 0 or 1 (the funding ratio's default is 1) leaves one Beta parameter at 0, where the distribution
    // is a point mass: the interval is taken with that parameter a hair above 0, which is the same point to any display.
    private static (double Lower, double Upper) Interval(double alpha, double beta, double value)
    {
        const double floor = 1e-3;
        if (alpha + beta == 0d) return (0d, 1d);
        var tail = (1d - Credibility) / 2d;
        var a = Math.Max(alpha, floor);
        var b = Math.Max(beta, floor);
        var lower = Beta.InvCDF(a, b, tail);
        var upper = Beta.InvCDF(a, b, 1d - tail);
        return (Math.Min(lower, value), Math.Max(upper, value));
    }
}

/// <summary>
/// The median time from delivery to approval, shrunk toward the tier's pooled median the same way as a rate:
/// <c>(n·median + k·prior) / (n + k)</c> for <c>n</c> approvals with a known time.
/// </summary>
public sealed record HoursEstimate(double? RawMedian, int Count, double Prior, double Value, bool TooFew)
{
    public static HoursEstimate Shrink(double? rawMedian, int count, double prior, double strength, int minCount)
    {
        var value = rawMedian is { } median && count + strength > 0d ? (count * median + strength * prior) / (count + strength) : prior;
        return new HoursEstimate(rawMedian, count, prior, value, count < minCount);
    }
}
