using System.Diagnostics;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Intake;

namespace LoanHub.Web.Features.Delivery;

/// <summary>Where one push lender receives leads, as the writer hands it to the dispatcher; holds the secret in memory only.</summary>
public sealed record LenderEndpoint(LenderId LenderId, string LenderCode, Uri? PrecheckUrl, Uri PostUrl, string Secret, int TimeoutMs)
{
    public static LenderEndpoint? Of(Lender lender) =>
        lender is { Delivery: { } delivery, DeliverySecret: { } secret }
            ? new(lender.Id, lender.Code, delivery.PrecheckUrl is { } p ? new Uri(p) : null, new Uri(delivery.PostUrl), secret, delivery.TimeoutMs)
            : null;
}

/// <summary>How an application's delivery ended, as its waiters are told: Routed (with where) or Unmatched.</summary>
public sealed record Placed(ApplicationStatus Status, RoutedTo? RoutedTo)
{
    /// <summary>Set when the delivery's state could not be committed; the waiter answers with an error.</summary>
    public Exception? Error { get; init; }
}

/// <summary>
/// An application whose delivery is under way: what the writer needs to pick again after a refusal (the scored
/// record, the applicant, which products and lenders are out) and who waits for the end (the source's request, a
/// reviewer). Lives in the writer's memory between the commit that records an attempt and the one that records its
/// answer; rebuilt from the attempts in flight after a restart. Only the writer touches it, under its gate.
/// </summary>
internal sealed class Placement(ApplicationId applicationId, SourceId sourceId, DecisionRecord scored, Applicant applicant, Consent consent,
    DateTimeOffset receivedAt, long startedTimestamp)
{
    private readonly List<Action<Placed>> waiters = [];

    public ApplicationId ApplicationId { get; } = applicationId;
    public SourceId SourceId { get; } = sourceId;
    /// <summary>The record as risk decided it; every new pick starts from it.</summary>
    public DecisionRecord Scored { get; } = scored;
    public Applicant Applicant { get; } = applicant;
    public Consent Consent { get; } = consent;
    public DateTimeOffset ReceivedAt { get; } = receivedAt;
    /// <summary>When the deadline started to run (<see cref="Stopwatch.GetTimestamp"/>): intake, a reviewer's release, or the restart that resumed it.</summary>
    public long StartedTimestamp { get; } = startedTimestamp;
    /// <summary>The products and lenders its refusals have ruled out.</summary>
    public FallThrough Refusals { get; } = new();
    public int Attempts { get; set; }
    /// <summary>
    /// How far the placement's own time is from the clock: zero for live traffic, days back for the demo's history,
    /// so the answers of a backdated delivery are recorded at the time it happened.
    /// </summary>
    public TimeSpan TimeShift { get; init; }
    public InFlightAttempt? Current { get; set; }
    /// <summary>The products that competed in the first round-robin pick; a lead that falls through is charged against them.</summary>
    public IReadOnlyList<(ProductId Product, int Weight)>? Competitors { get; set; }
    /// <summary>True once an auction has begun: refusals then fall through by price, not by a new draw.</summary>
    public bool Auctioned { get; set; }
    /// <summary>Auction pre-checks sent and not yet answered, by attempt.</summary>
    public Dictionary<DeliveryId, (DeliveryAttempt Attempt, ProductSnapshot Product)> Pending { get; } = [];
    /// <summary>The auction's bids so far: accepted pre-checks, and products without one at their expected commission.</summary>
    public List<AuctionBid> Bids { get; } = [];
    /// <summary>The attempt whose pre-check accepted, per product: the post goes on it if its bid wins.</summary>
    public Dictionary<ProductId, DeliveryAttempt> Prechecked { get; } = [];
    /// <summary>
    /// The rows the delivery's end changes, as last committed: the writer attaches them to the group that records an
    /// answer instead of reading (and decrypting) them again.
    /// </summary>
    public LoanApplication? Application { get; set; }
    public RiskAssessment? Assessment { get; set; }
    /// <summary>The latest draw, stored as the decision record when the delivery ends.</summary>
    public DecisionRecord? Latest { get; set; }

    public void AddWaiter(Action<Placed> waiter) => waiters.Add(waiter);

    public void Complete(Placed placed)
    {
        foreach (var waiter in waiters) waiter(placed);
        waiters.Clear();
    }

    public void TakeWaitersFrom(Placement other)
    {
        waiters.AddRange(other.waiters);
        other.waiters.Clear();
    }

    public void Fail(Exception error)
    {
        foreach (var waiter in waiters) waiter(new Placed(ApplicationStatus.Received, null) { Error = error });
        waiters.Clear();
    }

    /// <summary>Counted in <see cref="Intake.EngineState.IsBeingDelivered"/> until it ends.</summary>
    public bool CountedUnderWay { get; set; }

    /// <summary>No one waits on it (the demo's history): it runs to its end however long the machine takes, never to a deadline.</summary>
    public bool Unhurried { get; init; }

    public TimeSpan Remaining(TimeSpan deadline) => Unhurried ? TimeSpan.MaxValue : deadline - Stopwatch.GetElapsedTime(StartedTimestamp);

    /// <summary>
    /// Less time left than a call needs: no further lender can be asked. A call cut short by the deadline times out
    /// a little before <see cref="Remaining"/> reaches zero (timers count whole milliseconds), and still ends the delivery at the deadline.
    /// </summary>
    public bool DeadlinePassed(TimeSpan deadline) => Remaining(deadline) <= ShortestCall;

    /// <summary>The least time worth giving a call to a lender.</summary>
    public static readonly TimeSpan ShortestCall = TimeSpan.FromMilliseconds(10);

    public void Exclude(DeliveryAttempt ended) => Refusals.Refused(ended.ProductId, ended.LenderId, ended.EndedAtPrecheck);

    public bool Allows(ProductSnapshot product) => Refusals.Allows(product);
}

/// <summary>The attempt a placement waits on, with what it holds of its product's cap and budget.</summary>
internal sealed record InFlightAttempt(DeliveryAttempt Attempt, ProductSnapshot Product, AllocationResult? Allocation, DateOnly Day);
