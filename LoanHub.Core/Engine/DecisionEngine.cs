using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// Score, decide, match and allocate one application. Pure: the host supplies the fraud findings (from
/// its <see cref="FraudIndex"/>), the products with their usage, the round-robin state and the business
/// day (each offer with the learned rates its expected commission rests on), and stores what comes back.
/// The only thing it changes is <see cref="WeightedRoundRobinState"/>, and only when it allocates.
/// </summary>
public sealed class DecisionEngine(Scorecard scorecard, DecisionPolicy policy)
{
    public static DecisionEngine Default { get; } = new(Scorecard.Default, DecisionPolicy.Default);

    public Scorecard Scorecard { get; } = scorecard;
    public DecisionPolicy Policy { get; } = policy;

    /// <summary>The same scorecard deciding by <paramref name="next"/>: the thresholds of the active risk policy version.</summary>
    public DecisionEngine WithPolicy(DecisionPolicy next) => next == Policy ? this : new(Scorecard, next);

    public DecisionRecord Decide(ApplicantProfile applicant, FraudFindings findings, IReadOnlyList<ProductOffer> offers,
        RoutingStrategy strategy, WeightedRoundRobinState state, DateOnly today)
    {
        var score = Scorecard.Score(applicant, today);
        var outcome = Policy.Decide(score, findings);
        var record = new DecisionRecord(
            score.ScorecardVersion, score.Score, score.Tier, score.Reasons, score.Attributes,
            findings.Signals, findings.Cluster, outcome.Decision, outcome.Because, StatusOf(outcome.Decision),
            Strategy: null, Products: [], Allocation: null, DecidedOn: today, ReleasedFromReview: false);
        return outcome.Decision == Decision.Route ? Routed(record, applicant, offers, strategy, state, today) : record;
    }

    /// <summary>
    /// Routes an application a reviewer approved, on the score and signals the reviewer saw, against the
    /// products and usage of <paramref name="today"/>.
    /// </summary>
    public DecisionRecord RouteAfterReview(DecisionRecord reviewed, ApplicantProfile applicant, IReadOnlyList<ProductOffer> offers,
        RoutingStrategy strategy, WeightedRoundRobinState state, DateOnly today)
    {
        if (reviewed.Decision != Decision.Review)
            throw new DomainException($"Only an application held for review can be released; this one was decided {reviewed.Decision}.");
        var released = reviewed with { Decision = Decision.Route, DecidedOn = today, ReleasedFromReview = true };
        return Routed(released, applicant, offers, strategy, state, today);
    }

    /// <summary>
    /// Eligibility and allocation again for an applicant already scored, against other products or another
    /// strategy: what the routing simulator replays. The score, tier and signals of <paramref name="scored"/> stay.
    /// </summary>
    public DecisionRecord Reallocate(DecisionRecord scored, ApplicantProfile applicant, IReadOnlyList<ProductOffer> offers,
        RoutingStrategy strategy, WeightedRoundRobinState state, DateOnly today) =>
        Routed(scored with { Decision = Decision.Route, DecidedOn = today }, applicant, offers, strategy, state, today);

    /// <summary>
    /// Each offer's eligibility for a scored applicant, in the order offered (what <see cref="Reallocate"/> matches on).
    /// The what-if calls it once per applicant without explanations and allocates again over what is left as lenders refuse.
    /// </summary>
    public EligibilityResult[] Match(ApplicantProfile applicant, int score, RiskTier tier, IReadOnlyList<ProductOffer> offers, DateOnly today,
        bool explain = true)
    {
        var results = new EligibilityResult[offers.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = Eligibility.Check(applicant, score, tier, offers[i].Product, offers[i].Usage, today, offers[i].Rates, explain);
        return results;
    }

    /// <summary>The eligible offers as the allocators take them.</summary>
    public static List<AllocationCandidate> Candidates(IReadOnlyList<ProductOffer> offers, IReadOnlyList<EligibilityResult> matched)
    {
        var candidates = new List<AllocationCandidate>(offers.Count);
        for (var i = 0; i < offers.Count; i++)
            if (matched[i].IsEligible) candidates.Add(new AllocationCandidate(offers[i].Product, matched[i].ExpectedCommission));
        return candidates;
    }

    private DecisionRecord Routed(DecisionRecord record, ApplicantProfile applicant, IReadOnlyList<ProductOffer> offers,
        RoutingStrategy strategy, WeightedRoundRobinState state, DateOnly today)
    {
        var matched = Match(applicant, record.Score, record.Tier, offers, today);
        var products = offers
            .Select((o, i) => new ProductEligibility(o.Product.ProductId, o.Product.LenderCode, o.Product.ProductCode,
                matched[i].IsEligible, matched[i].Reasons, matched[i].ExpectedCommission))
            .OrderBy(p => p.LenderCode, StringComparer.Ordinal).ThenBy(p => p.ProductCode, StringComparer.Ordinal)
            .ToArray();
        var candidates = Candidates(offers, matched);

        var allocation = candidates.Count == 0 ? null : Allocators.For(strategy).Allocate(candidates, state);
        var status = allocation?.Winner is null ? ApplicationStatus.Unmatched : ApplicationStatus.Routed;
        return record with { Status = status, Strategy = strategy, Products = products, Allocation = allocation };
    }

    private static ApplicationStatus StatusOf(Decision decision) => decision switch
    {
        Decision.Route => ApplicationStatus.Routed,
        Decision.Review => ApplicationStatus.InReview,
        Decision.Reject => ApplicationStatus.Rejected,
        _ => ApplicationStatus.Duplicate,
    };
}
