using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// Everything the engine reads besides the application itself: the fraud history, the catalog, the
/// usage of caps and budgets, and the round-robin position. Built from the store at start and kept
/// in step by the one writer that commits decisions, so caps hold exactly under concurrent intake.
/// Only <see cref="EngineHost"/> touches it, under its gate.
/// </summary>
internal sealed class EngineState(FraudIndex fraud, IReadOnlyList<ProductSnapshot> products, RoutingStrategy strategy)
{
    private readonly Dictionary<(ProductId, DateOnly Day), int> leadsPerDay = [];
    private readonly Dictionary<(ProductId, DateOnly Month), decimal> committedPerMonth = [];

    public FraudIndex Fraud { get; } = fraud;
    public IReadOnlyList<ProductSnapshot> Products { get; } = products;
    public RoutingStrategy Strategy { get; } = strategy;
    public WeightedRoundRobinState RoundRobin { get; } = new();

    public IReadOnlyList<ProductOffer> OffersOn(DateOnly day) =>
        [.. Products.Select(p => new ProductOffer(p, new ProductUsage(
            leadsPerDay.GetValueOrDefault((p.ProductId, day)),
            committedPerMonth.GetValueOrDefault((p.ProductId, BusinessDay.MonthOf(day))))))];

    public void RecordAllocation(ProductId product, DateOnly day, decimal expectedCommission)
    {
        leadsPerDay[(product, day)] = leadsPerDay.GetValueOrDefault((product, day)) + 1;
        var month = (product, BusinessDay.MonthOf(day));
        committedPerMonth[month] = committedPerMonth.GetValueOrDefault(month) + expectedCommission;
    }
}
