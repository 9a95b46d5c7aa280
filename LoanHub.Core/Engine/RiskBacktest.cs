using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Core.Engine;

/// <summary>
/// One stored applicant as a backtest reads it: no personal data, only the keyed hashes the fraud checks link on, the
/// figures the amount-to-income check reads, the stored score, tier and signal codes, and how it was decided.
/// </summary>
/// <param name="Routed">Whether it was routed (sold): later applicants with the same national ID are duplicates of it.</param>
/// <param name="DecidedAt">When it was decided; the duplicate look-back counts from there, as the writer's history load does.</param>
/// <param name="Decision">The intake decision stored with it.</param>
public sealed record BacktestApplicant(
    ApplicationId Id,
    SourceId SourceId,
    DateTimeOffset ReceivedAt,
    string IdentityHash,
    string PhoneHash,
    string DeviceHash,
    string IpHash,
    decimal MonthlyIncome,
    decimal RequestedAmount,
    int Score,
    RiskTier Tier,
    Decision Decision,
    IReadOnlyList<string> Signals,
    bool Routed,
    DateTimeOffset? DecidedAt)
{
    public ApplicationFingerprint Fingerprint => new(Id, IdentityHash, PhoneHash, DeviceHash, IpHash, ReceivedAt);
}

/// <summary>How many applicants went from each decision (as stored) to each decision (under a proposal).</summary>
public sealed class DecisionMoves
{
    private static readonly int Size = Enum.GetValues<Decision>().Length;
    private readonly int[] counts = new int[Size * Size];

    public int this[Decision from, Decision to] => counts[(int)from * Size + (int)to];

    public int Total { get; private set; }

    /// <summary>Applicants decided otherwise under the proposal.</summary>
    public int Moved { get; private set; }

    public int From(Decision from) => Enum.GetValues<Decision>().Sum(to => this[from, to]);

    public int To(Decision to) => Enum.GetValues<Decision>().Sum(from => this[from, to]);

    internal void Add(Decision from, Decision to)
    {
        counts[(int)from * Size + (int)to]++;
        Total++;
        if (from != to) Moved++;
    }
}

/// <summary>What a backtest found: the moves overall, by source and by tier, and what the learned rates predict of the newly routed.</summary>
/// <param name="ReplayedHistory">True when the fraud checks that read history were replayed from the keyed hashes under the proposal.</param>
/// <param name="NewlyRouted">Applicants routed under the proposal that were not routed as stored.</param>
/// <param name="NewlyRoutedExpectedApprovals">The sum of each newly routed applicant's learned approval rate (of its tier): the approvals to expect.</param>
/// <param name="NoLongerRouted">Applicants routed as stored that the proposal would not route.</param>
/// <param name="NoLongerRoutedExpectedApprovals">The approvals the learned rates expected of those.</param>
public sealed record RiskBacktestResult(
    DecisionMoves Moves,
    IReadOnlyDictionary<SourceId, DecisionMoves> BySource,
    IReadOnlyDictionary<RiskTier, DecisionMoves> ByTier,
    bool ReplayedHistory,
    int NewlyRouted,
    double NewlyRoutedExpectedApprovals,
    int NoLongerRouted,
    double NoLongerRoutedExpectedApprovals)
{
    /// <summary>The approval rate the learned rates predict for the newly routed; null when nobody is newly routed.</summary>
    public double? NewlyRoutedApprovalRate => NewlyRouted == 0 ? null : NewlyRoutedExpectedApprovals / NewlyRouted;

    public double? NoLongerRoutedApprovalRate => NoLongerRouted == 0 ? null : NoLongerRoutedExpectedApprovals / NoLongerRouted;
}

/// <summary>
/// Replays stored applicants under a proposed risk policy and counts how their decisions would move. Pure and streaming:
/// applicants arrive in arrival order and none is kept once counted.
/// </summary>
/// <remarks>
/// <para>Score thresholds re-decide from each stored score and tier. The amount-to-income check is worked out again from the
/// stored amount and income; a blocklist match and an age under the minimum stay as stored, the match rejecting or sending to
/// review as the proposal says.</para>
/// <para>The checks that read history — duplicate, shared device and phone, IP velocity, ring — stay as stored while the proposal
/// judges them as <c>decidedBy</c> (the active version) does. Otherwise their findings are rebuilt: every applicant, from
/// <see cref="EngineHistory"/> before the window on, goes through a <see cref="FraudIndex"/> with the proposed thresholds in
/// arrival order, as the writer's history load and intake do, checked first when it is in the window. Duplicates are judged
/// against who was actually routed: whether a newly routed applicant would have found a lender is not known.</para>
/// </remarks>
public sealed class RiskBacktest(RiskPolicy proposal, RiskPolicy decidedBy, LearnedRates rates)
{
    /// <summary>How much history before the window a replay reads: what the writer loads at start.</summary>
    public static readonly TimeSpan EngineHistory = TimeSpan.FromDays(180);

    /// <summary>After how many applicants the replay's index drops what no check can read any more.</summary>
    public const int PruneEvery = 100_000;

    private static readonly HashSet<string> HistorySignals = new(StringComparer.Ordinal)
    {
        FraudSignal.Duplicate, FraudSignal.DeviceShared, FraudSignal.PhoneShared, FraudSignal.IpVelocity, FraudSignal.Ring,
    };

    /// <summary>True when the history checks must be replayed from the keyed hashes (the caller must then pass the history too).</summary>
    public bool ReplaysHistory { get; } = !proposal.SameHistoryChecksAs(decidedBy);

    /// <param name="applicants">In arrival order: those received before <paramref name="windowStart"/> are history only.</param>
    /// <param name="progress">Told how many applicants of the window have been counted, now and then.</param>
    public RiskBacktestResult Run(IEnumerable<BacktestApplicant> applicants, DateTimeOffset windowStart, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var index = ReplaysHistory ? new FraudIndex(proposal.Fraud) : null;
        var moves = new DecisionMoves();
        var bySource = new Dictionary<SourceId, DecisionMoves>();
        var byTier = new Dictionary<RiskTier, DecisionMoves>();
        int newlyRouted = 0, noLongerRouted = 0;
        double newlyApprovals = 0, lostApprovals = 0;

        var sincePrune = 0;
        foreach (var applicant in applicants)
        {
            if (index is not null && ++sincePrune == PruneEvery)
            {
                // As the writer does now and then: what has left every window is dropped, so the index stays as large as its
                // windows. Pruning walks the whole index, so it runs after many applicants, not after a stretch of time.
                index.Prune(applicant.ReceivedAt);
                sincePrune = 0;
            }
            if (applicant.ReceivedAt >= windowStart)
            {
                var to = Decide(applicant, index);
                moves.Add(applicant.Decision, to);
                Of(bySource, applicant.SourceId).Add(applicant.Decision, to);
                Of(byTier, applicant.Tier).Add(applicant.Decision, to);
                if (to == Decision.Route && applicant.Decision != Decision.Route)
                {
                    newlyRouted++;
                    newlyApprovals += rates.ForTier(applicant.Tier).Approval.Value;
                }
                else if (to != Decision.Route && applicant.Decision == Decision.Route)
                {
                    noLongerRouted++;
                    lostApprovals += rates.ForTier(applicant.Tier).Approval.Value;
                }
                if (moves.Total % 10_000 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(moves.Total);
                }
            }
            if (index is not null)
            {
                index.Add(applicant.Fingerprint);
                if (applicant.Routed) index.MarkRouted(applicant.IdentityHash, applicant.Id, applicant.DecidedAt ?? applicant.ReceivedAt);
            }
        }
        progress?.Report(moves.Total);
        return new RiskBacktestResult(moves, bySource, byTier, ReplaysHistory, newlyRouted, newlyApprovals, noLongerRouted, lostApprovals);
    }

    /// <summary>The decision <paramref name="applicant"/> gets under the proposal.</summary>
    public Decision Decide(BacktestApplicant applicant, FraudIndex? index)
    {
        SignalSeverity? strongest = null;
        if (index is not null)
            foreach (var signal in index.CheckHistory(applicant.Fingerprint).Signals) strongest = Stronger(strongest, signal.Severity);
        foreach (var code in applicant.Signals)
        {
            if (code == FraudSignal.AmountToIncome || (index is not null && HistorySignals.Contains(code))) continue;
            strongest = Stronger(strongest, SeverityOf(code));
        }
        if (applicant.RequestedAmount > proposal.Fraud.MaxAmountToMonthlyIncome * applicant.MonthlyIncome)
            strongest = Stronger(strongest, SignalSeverity.Review);
        return proposal.Decision.DecisionFor(applicant.Score, applicant.Tier, strongest);
    }

    private static SignalSeverity Stronger(SignalSeverity? known, SignalSeverity found) => known is { } k && k >= found ? k : found;

    // What a stored code asks of the decision, as the check that wrote it says (FraudIndex, ApplicantChecks, Blocklist).
    private SignalSeverity SeverityOf(string code) => code switch
    {
        FraudSignal.Duplicate => SignalSeverity.Duplicate,
        FraudSignal.Underage => SignalSeverity.Reject,
        FraudSignal.Blocklisted => proposal.Fraud.BlocklistedToReview ? SignalSeverity.Review : SignalSeverity.Reject,
        _ => SignalSeverity.Review,
    };

    private static DecisionMoves Of<TKey>(Dictionary<TKey, DecisionMoves> moves, TKey key) where TKey : notnull
    {
        if (!moves.TryGetValue(key, out var found)) moves[key] = found = new DecisionMoves();
        return found;
    }
}
