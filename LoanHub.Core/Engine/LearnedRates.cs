using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>How many approvals took a delay in [<c>Bucket·15</c>, <c>(Bucket + 1)·15</c>) minutes after delivery.</summary>
public readonly record struct DelayBucket(int Bucket, int Count)
{
    public const int Minutes = 15;
}

/// <summary>
/// What the store holds about one product × risk tier (the tier the scorecard gave the applicant), counted, not
/// judged. Every rate <see cref="LearnedRates"/> learns is a ratio of two of these:
/// <list type="bullet">
/// <item><b>acceptance</b> = <see cref="Accepted"/> / <see cref="Offered"/>: leads offered are the product's delivery
/// attempts that ended with the lender's answer (accepted, refused, timed out or failed; not those abandoned at the
/// deadline or still in flight), plus the leads a pull lender took (it takes every lead it is given); accepted are the
/// attempts whose post the lender accepted, plus those pull leads.</item>
/// <item><b>pre-check acceptance</b> = <see cref="PrechecksAccepted"/> / <see cref="PrechecksAnswered"/>, over
/// attempts whose pre-check has a result.</item>
/// <item><b>post acceptance</b> = <see cref="PostsAccepted"/> / <see cref="PostsAnswered"/>, over attempts whose post
/// has a result.</item>
/// <item><b>approval</b> = <see cref="Approved"/> / <see cref="Decided"/>: allocations the lender approved or funded
/// over those it approved, funded or declined; leads it has not reported on yet do not count either way.</item>
/// <item><b>funding ratio</b> = <see cref="FundedAmount"/> / <see cref="RequestedOfFunded"/>, over funded allocations:
/// how much of the amount asked for lenders fund. Each funded lead is one trial whose "success" is its share.</item>
/// <item><b>time to approval</b>: the median of <see cref="ApprovalDelays"/>, the hours from delivery to the
/// lender's approval.</item>
/// </list>
/// </summary>
public sealed record OutcomeCounts
{
    public int Offered { get; init; }
    public int Accepted { get; init; }
    public int PrechecksAnswered { get; init; }
    public int PrechecksAccepted { get; init; }
    public int PostsAnswered { get; init; }
    public int PostsAccepted { get; init; }
    public int Decided { get; init; }
    public int Approved { get; init; }
    public int Funded { get; init; }
    public decimal FundedAmount { get; init; }
    public decimal RequestedOfFunded { get; init; }
    public IReadOnlyList<DelayBucket> ApprovalDelays { get; init; } = [];

    public static OutcomeCounts None { get; } = new();

    public int ApprovalsTimed => ApprovalDelays.Sum(d => d.Count);

    /// <summary>The funded share of the amount asked for, as successes of <see cref="Funded"/> trials.</summary>
    public double FundedShares => RequestedOfFunded <= 0m ? 0d : Funded * (double)Math.Min(1m, FundedAmount / RequestedOfFunded);

    /// <summary>Median hours from delivery to approval (the middle of its 15-minute bucket); null without a timed approval.</summary>
    public double? MedianHoursToApproval
    {
        get
        {
            var count = ApprovalsTimed;
            if (count == 0) return null;
            var half = (count + 1) / 2;
            var seen = 0;
            foreach (var bucket in ApprovalDelays.OrderBy(d => d.Bucket))
            {
                seen += bucket.Count;
                if (seen >= half) return (bucket.Bucket + 0.5) * DelayBucket.Minutes / 60d;
            }
            return null;
        }
    }

    public static OutcomeCounts Sum(IEnumerable<OutcomeCounts> all)
    {
        var list = all as IReadOnlyCollection<OutcomeCounts> ?? [.. all];
        return new OutcomeCounts
        {
            Offered = list.Sum(c => c.Offered),
            Accepted = list.Sum(c => c.Accepted),
            PrechecksAnswered = list.Sum(c => c.PrechecksAnswered),
            PrechecksAccepted = list.Sum(c => c.PrechecksAccepted),
            PostsAnswered = list.Sum(c => c.PostsAnswered),
            PostsAccepted = list.Sum(c => c.PostsAccepted),
            Decided = list.Sum(c => c.Decided),
            Approved = list.Sum(c => c.Approved),
            Funded = list.Sum(c => c.Funded),
            FundedAmount = list.Sum(c => c.FundedAmount),
            RequestedOfFunded = list.Sum(c => c.RequestedOfFunded),
            ApprovalDelays = [.. list.SelectMany(c => c.ApprovalDelays).GroupBy(d => d.Bucket).OrderBy(g => g.Key)
                .Select(g => new DelayBucket(g.Key, g.Sum(d => d.Count)))],
        };
    }
}

/// <summary>The counts of one product × tier, as the store's aggregate hands them over.</summary>
public sealed record ProductTierCounts(ProductId ProductId, RiskTier Tier, OutcomeCounts Counts);

/// <summary>
/// What the rates are shrunk toward when there is little evidence, and how hard. Each product × tier is shrunk toward
/// its tier's rate pooled over all products; the pooled rate is shrunk toward these defaults in turn, so a tier with
/// few outcomes anywhere falls back to them. The approval defaults are the forecast LoanHub used before it learned.
/// </summary>
/// <param name="Strength">How many outcomes each prior is worth (the Beta prior's <c>α + β</c>).</param>
/// <param name="MinOutcomes">Fewer trials than this and an estimate is flagged "too few outcomes to trust".</param>
public sealed record RatePriors(double Strength = 20, int MinOutcomes = 30)
{
    public double Acceptance { get; init; } = 0.70;
    public double PrecheckAcceptance { get; init; } = 0.85;
    public double PostAcceptance { get; init; } = 0.85;
    public double FundingRatio { get; init; } = 1.0;
    public double HoursToApproval { get; init; } = 24;
    public double ApprovalA { get; init; } = 0.60;
    public double ApprovalB { get; init; } = 0.45;
    public double ApprovalC { get; init; } = 0.30;
    public double ApprovalD { get; init; } = 0.15;
    public double ApprovalE { get; init; } = 0.05;

    public static RatePriors Default { get; } = new();

    public double Approval(RiskTier tier) => tier switch
    {
        RiskTier.A => ApprovalA,
        RiskTier.B => ApprovalB,
        RiskTier.C => ApprovalC,
        RiskTier.D => ApprovalD,
        _ => ApprovalE,
    };
}

/// <summary>The learned rates of one product for one tier (or of the tier pooled over products), with the counts behind them.</summary>
public sealed record ProductTierRates(
    ProductId? ProductId,
    RiskTier Tier,
    OutcomeCounts Counts,
    RateEstimate Acceptance,
    RateEstimate PrecheckAcceptance,
    RateEstimate PostAcceptance,
    RateEstimate Approval,
    RateEstimate FundingRatio,
    HoursEstimate HoursToApproval)
{
    /// <summary>Fewer decided outcomes than the minimum: the approval rate, which ranking and budgets use, is mostly the prior.</summary>
    public bool TooFewToTrust => Approval.TooFew;

    /// <summary>
    /// The commission a lead is expected to earn once its lender has taken it, CNY rounded to the fen: what budgets reserve,
    /// what the expected-value strategy ranks by, what the allocation stores. CPL pays on delivery, so it is certain; CPA
    /// pays on approval: approval × amount; CPS pays a rate of the funded amount: approval × rate × requested × funding
    /// ratio; a Bid product is sure of its floor before the auction and nothing more.
    /// </summary>
    public decimal ExpectedCommission(CommissionContract contract, decimal requestedAmount) => Money.Round(contract.Model switch
    {
        CommissionModel.CPL => contract.Amount,
        CommissionModel.CPA => (decimal)Approval.Value * contract.Amount,
        CommissionModel.Bid => contract.MinPrice,
        _ => (decimal)Approval.Value * contract.Rate * requestedAmount * (decimal)FundingRatio.Value,
    });
}

/// <summary>
/// An immutable snapshot of every rate learned from outcomes, per product × risk tier, as of one moment. Built from
/// counts by <see cref="From"/>; the host publishes a new one when it has recounted and readers keep the one they hold.
/// A product or tier without counts gets its tier's pooled rates, and with no outcomes at all every rate is its prior.
/// </summary>
public sealed class LearnedRates
{
    private readonly Dictionary<(ProductId, RiskTier), ProductTierRates> byProduct;
    private readonly Dictionary<RiskTier, ProductTierRates> byTier;

    private LearnedRates(DateTimeOffset asOf, RatePriors priors, Dictionary<(ProductId, RiskTier), ProductTierRates> byProduct,
        Dictionary<RiskTier, ProductTierRates> byTier)
    {
        AsOf = asOf;
        Priors = priors;
        this.byProduct = byProduct;
        this.byTier = byTier;
    }

    /// <summary>No outcomes at all: every rate is its default prior.</summary>
    public static LearnedRates None { get; } = From([], RatePriors.Default, DateTimeOffset.MinValue);

    public DateTimeOffset AsOf { get; }
    public RatePriors Priors { get; }

    /// <summary>Every product × tier with counts (in no meaningful order of products; tiers A to E within one).</summary>
    public IReadOnlyList<ProductTierRates> Products => [.. byProduct.Values.OrderBy(r => r.ProductId!.Value.Value).ThenBy(r => r.Tier)];

    /// <summary>The rates of <paramref name="product"/> for applicants of <paramref name="tier"/>; the tier's pooled rates when it has no counts.</summary>
    public ProductTierRates For(ProductId product, RiskTier tier) =>
        byProduct.TryGetValue((product, tier), out var rates) ? rates : byTier[tier];

    /// <summary>The tier's rates pooled over every product.</summary>
    public ProductTierRates ForTier(RiskTier tier) => byTier[tier];

    public static LearnedRates From(IEnumerable<ProductTierCounts> counts, RatePriors priors, DateTimeOffset asOf)
    {
        var list = counts.GroupBy(c => (c.ProductId, c.Tier)).Select(g => new ProductTierCounts(g.Key.ProductId, g.Key.Tier, OutcomeCounts.Sum(g.Select(c => c.Counts)))).ToList();
        var byTier = new Dictionary<RiskTier, ProductTierRates>();
        foreach (var tier in Enum.GetValues<RiskTier>())
        {
            var pooled = OutcomeCounts.Sum(list.Where(c => c.Tier == tier).Select(c => c.Counts));
            byTier[tier] = Estimate(null, tier, pooled, Defaults(priors, tier), priors);
        }
        var byProduct = list.ToDictionary(c => (c.ProductId, c.Tier), c => Estimate(c.ProductId, c.Tier, c.Counts, Toward(byTier[c.Tier]), priors));
        return new LearnedRates(asOf, priors, byProduct, byTier);
    }

    private sealed record Targets(double Acceptance, double Precheck, double Post, double Approval, double Funding, double Hours);

    private static Targets Defaults(RatePriors p, RiskTier tier) =>
        new(p.Acceptance, p.PrecheckAcceptance, p.PostAcceptance, p.Approval(tier), p.FundingRatio, p.HoursToApproval);

    private static Targets Toward(ProductTierRates pooled) => new(pooled.Acceptance.Value, pooled.PrecheckAcceptance.Value, pooled.PostAcceptance.Value,
        pooled.Approval.Value, pooled.FundingRatio.Value, pooled.HoursToApproval.Value);

    private static ProductTierRates Estimate(ProductId? product, RiskTier tier, OutcomeCounts c, Targets toward, RatePriors p)
    {
        RateEstimate Rate(double successes, int trials, double prior) => RateEstimate.Shrink(successes, trials, prior, p.Strength, p.MinOutcomes);
        return new ProductTierRates(product, tier, c,
            Rate(c.Accepted, c.Offered, toward.Acceptance),
            Rate(c.PrechecksAccepted, c.PrechecksAnswered, toward.Precheck),
            Rate(c.PostsAccepted, c.PostsAnswered, toward.Post),
            Rate(c.Approved, c.Decided, toward.Approval),
            Rate(c.FundedShares, c.Funded, toward.Funding),
            HoursEstimate.Shrink(c.MedianHoursToApproval, c.ApprovalsTimed, toward.Hours, p.Strength, p.MinOutcomes));
    }
}
