namespace LoanHub.Core.Domain;

/// <summary>
/// One line of the commission ledger: one event in a lead's life (delivered, approved, funded) and what
/// the contract the lead was delivered under (its allocation's) earns on it — zero for events the contract
/// does not pay for, so the ledger alone counts leads, approvals and fundings as well as money. Never edited;
/// the single source for reports.
/// </summary>
public sealed class CommissionEntry
{
    public Guid Id { get; private set; }
    public AllocationId AllocationId { get; private set; }
    public ApplicationId ApplicationId { get; private set; }
    public LenderId LenderId { get; private set; }
    public ProductId ProductId { get; private set; }
    public SourceId SourceId { get; private set; }
    public CommissionEvent Event { get; private set; }
    public CommissionModel Model { get; private set; }
    public decimal? FundedAmount { get; private set; }
    public decimal Amount { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }

    private CommissionEntry() { }

    public CommissionEntry(Allocation allocation, CommissionEvent commissionEvent, decimal? fundedAmount, DateTimeOffset occurredAt,
        decimal? bid = null)
    {
        var contract = allocation.Commission;
        Id = Guid.CreateVersion7();
        AllocationId = allocation.Id;
        ApplicationId = allocation.ApplicationId;
        LenderId = allocation.LenderId;
        ProductId = allocation.ProductId;
        SourceId = allocation.SourceId;
        Event = commissionEvent;
        Model = contract.Model;
        FundedAmount = fundedAmount;
        Amount = contract.Earned(commissionEvent, fundedAmount, bid);
        OccurredAt = occurredAt;
    }
}
