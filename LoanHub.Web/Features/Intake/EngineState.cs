using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Delivery;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// Everything the engine reads besides the application itself: the fraud history, the catalog with the push
/// lenders' endpoints, the usage of caps and budgets (allocations, and the slots attempts in flight hold), the
/// round-robin position and the pull feed's position. Built from the store at start and kept in step by the one
/// writer that commits decisions, so caps hold exactly under concurrent intake. Only <see cref="EngineHost"/>
/// touches it, under its gate.
/// </summary>
internal sealed class EngineState(FraudIndex fraud, IReadOnlyList<ProductSnapshot> products, RoutingStrategy strategy,
    IReadOnlyDictionary<LenderId, LenderEndpoint> endpoints, long feedSequence)
{
    private readonly Dictionary<(ProductId, DateOnly Day), int> leadsPerDay = [];
    private readonly Dictionary<(ProductId, DateOnly Month), decimal> committedPerMonth = [];
    private long feedSequence = feedSequence;

    public FraudIndex Fraud { get; } = fraud;
    public IReadOnlyList<ProductSnapshot> Products { get; } = products;
    public RoutingStrategy Strategy { get; } = strategy;
    public WeightedRoundRobinState RoundRobin { get; } = new();
    /// <summary>Push lenders by id; a lender absent here is a pull lender.</summary>
    public IReadOnlyDictionary<LenderId, LenderEndpoint> Endpoints { get; } = endpoints;

    public IReadOnlyList<ProductOffer> OffersOn(DateOnly day) =>
        [.. Products.Select(p => new ProductOffer(p, new ProductUsage(
            leadsPerDay.GetValueOrDefault((p.ProductId, day)),
            committedPerMonth.GetValueOrDefault((p.ProductId, BusinessDay.MonthOf(day))))))];

    /// <summary>An allocation, or an attempt in flight holding its slot: both count against cap and budget.</summary>
    public void RecordAllocation(ProductId product, DateOnly day, decimal expectedCommission) => Add(product, day, 1, expectedCommission);

    /// <summary>An attempt refused or failed gives its slot back.</summary>
    public void ReleaseHold(ProductId product, DateOnly day, decimal expectedCommission) => Add(product, day, -1, -expectedCommission);

    /// <summary>The next position in the pull feed; strictly increasing in commit order because only the writer commits allocations.</summary>
    public long NextFeedSequence() => ++feedSequence;

    private void Add(ProductId product, DateOnly day, int leads, decimal commission)
    {
        leadsPerDay[(product, day)] = leadsPerDay.GetValueOrDefault((product, day)) + leads;
        var month = (product, BusinessDay.MonthOf(day));
        committedPerMonth[month] = committedPerMonth.GetValueOrDefault(month) + commission;
    }
}
