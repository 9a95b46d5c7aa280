using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Cluster;
using LoanHub.Web.Features.Delivery;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// What the engine routes by, as one immutable snapshot: the products with their limits and contracts, the active
/// strategy and the push lenders' endpoints. A catalog or policy change swaps the whole snapshot (ADR 0008).
/// </summary>
/// <param name="VersionId">The stored <see cref="CatalogVersion"/> of these products, recorded with every decision made on them.</param>
/// <param name="Risk">The thresholds of the active risk policy version (<see cref="RiskPolicyVersion"/>).</param>
internal sealed record EngineCatalog(IReadOnlyList<ProductSnapshot> Products, RoutingStrategy Strategy, IReadOnlyDictionary<LenderId, LenderEndpoint> Endpoints,
    long? VersionId, RiskPolicy Risk);

/// <summary>
/// Everything the engine reads besides the application itself: the <see cref="EngineCatalog"/>, the fraud history,
/// the usage of caps and budgets (allocations, and the slots attempts in flight hold), the round-robin position and
/// the pull feed's position. Built from the store at start and kept in step by the one writer that commits decisions,
/// so caps hold exactly under concurrent intake; the history and usage outlive catalog changes and are rebuilt only
/// when a commit failed in a way the writer could not take back. Only <see cref="EngineHost"/> touches it, under its gate.
/// </summary>
internal sealed class EngineState
{
    private readonly Dictionary<(ProductId, DateOnly Day), int> leadsPerDay = [];
    private readonly Dictionary<(ProductId, DateOnly Month), decimal> committedPerMonth = [];
    private long feedSequence;

    public EngineState(FraudIndex fraud, EngineCatalog catalog, long feedSequence)
    {
        Fraud = fraud;
        Catalog = catalog;
        this.feedSequence = feedSequence;
    }

    /// <summary>
    /// Records what the writer's decisions change here while it is open (the writer opens it for each group's
    /// intake), so a group whose commit failed is taken back exactly. Call <see cref="StartRecording"/> once loaded.
    /// </summary>
    public UndoLog Undo { get; } = new();

    public FraudIndex Fraud { get; }

    /// <summary>What the writer's group changes, for the other instances (ADR 0013); records nothing while closed.</summary>
    public StateJournal Journal { get; } = new();

    /// <summary>The last writer turn this state has seen (its own or applied from another instance); 0 on SQLite.</summary>
    public long AppliedTurn { get; set; }

    /// <summary>An application joins the fraud history.</summary>
    public void AddToFraudHistory(ApplicationFingerprint application)
    {
        Fraud.Add(application);
        if (Journal.IsRecording) Journal.Add(FraudAdded.Of(application)); // only on a shared store: no record made on SQLite's hot path
    }

    private readonly Dictionary<string, int> identitiesUnderWay = new(StringComparer.Ordinal);

    /// <summary>
    /// A delivery of this identity is under way: a second application of the person meanwhile is a duplicate, as it
    /// would be once the first is routed, so a person is never sent to lenders twice at once.
    /// </summary>
    public bool IsBeingDelivered(string identityHash) => identitiesUnderWay.ContainsKey(identityHash);

    /// <summary>A delivery of the identity began (<paramref name="delta"/> 1) or ended (−1).</summary>
    public void DeliveryUnderWay(string identityHash, int delta)
    {
        var count = identitiesUnderWay.GetValueOrDefault(identityHash) + delta;
        if (count > 0) identitiesUnderWay[identityHash] = count;
        else identitiesUnderWay.Remove(identityHash);
        if (Undo.IsRecording) Undo.Add(() => DeliveryUnderWay(identityHash, -delta));
        if (Journal.IsRecording) Journal.Add(new UnderWayChanged(identityHash, delta));
    }

    /// <summary>An identity was routed.</summary>
    public void MarkRouted(string identityHash, ApplicationId application, DateTimeOffset at)
    {
        Fraud.MarkRouted(identityHash, application, at);
        if (Journal.IsRecording) Journal.Add(new FraudRouted(identityHash, application.Value, at));
    }
    public EngineCatalog Catalog { get; set; }
    public IReadOnlyList<ProductSnapshot> Products => Catalog.Products;
    public RoutingStrategy Strategy => Catalog.Strategy;
    public WeightedRoundRobinState RoundRobin { get; } = new();
    /// <summary>Push lenders by id; a lender absent here is a pull lender.</summary>
    public IReadOnlyDictionary<LenderId, LenderEndpoint> Endpoints => Catalog.Endpoints;

    /// <summary>The history is in: from now on the writer's changes can be recorded and taken back.</summary>
    public void StartRecording()
    {
        Fraud.RecordChangesIn(Undo);
        RoundRobin.RecordChangesIn(Undo);
        RoundRobin.Changed = (product, current) =>
        {
            if (Journal.IsRecording) Journal.Add(new RoundRobinSet(product.Value, current));
        };
    }

    /// <summary>
    /// The learned rates the current group forecasts expected commissions from: the refresher's latest snapshot, taken
    /// once per group, so a group decides on one set of rates whenever the refresher swaps them.
    /// </summary>
    public LearnedRates Rates { get; set; } = LearnedRates.None;

    public IReadOnlyList<ProductOffer> OffersOn(DateOnly day) =>
        [.. Products.Select(p => new ProductOffer(p, new ProductUsage(
            leadsPerDay.GetValueOrDefault((p.ProductId, day)),
            committedPerMonth.GetValueOrDefault((p.ProductId, BusinessDay.MonthOf(day))))) { Rates = Rates })];

    /// <summary>An allocation, or an attempt in flight holding its slot: both count against cap and budget.</summary>
    public void RecordAllocation(ProductId product, DateOnly day, decimal expectedCommission) => AddUsage(product, day, 1, expectedCommission);

    /// <summary>An attempt refused or failed gives its slot back.</summary>
    public void ReleaseHold(ProductId product, DateOnly day, decimal expectedCommission) => AddUsage(product, day, -1, -expectedCommission);

    /// <summary>The next position in the pull feed; strictly increasing in commit order because only the writer commits allocations.</summary>
    public long NextFeedSequence()
    {
        if (Undo.IsRecording) Undo.Add(() => feedSequence--);
        ++feedSequence;
        if (Journal.IsRecording) Journal.Add(new FeedAdvanced(feedSequence));
        return feedSequence;
    }

    /// <summary>The pull feed's last position, as another instance's turn left it.</summary>
    public long FeedSequence
    {
        get => feedSequence;
        set => feedSequence = value;
    }

    public void AddUsage(ProductId product, DateOnly day, int leads, decimal commission)
    {
        leadsPerDay[(product, day)] = leadsPerDay.GetValueOrDefault((product, day)) + leads;
        var month = (product, BusinessDay.MonthOf(day));
        committedPerMonth[month] = committedPerMonth.GetValueOrDefault(month) + commission;
        if (Undo.IsRecording) RecordUndo(product, day, leads, commission);
        if (Journal.IsRecording) Journal.Add(new UsageAdded(product.Value, day, leads, commission));
    }

    // Its own method, so that the closure is allocated only while recording (loading the usage records nothing).
    private void RecordUndo(ProductId product, DateOnly day, int leads, decimal commission) => Undo.Add(() => AddUsage(product, day, -leads, -commission));
}
