namespace LoanHub.Core.Domain;

/// <summary>The delivery of one application to one lender product, and what the lender reported since.</summary>
public sealed class Allocation
{
    public AllocationId Id { get; private set; }
    public ApplicationId ApplicationId { get; private set; }
    public LenderId LenderId { get; private set; }
    public ProductId ProductId { get; private set; }
    public SourceId SourceId { get; private set; }
    public RoutingStrategy Strategy { get; private set; }
    public DateTimeOffset AllocatedAt { get; private set; }
    /// <summary>The business day (China Standard Time) the allocation counts against for daily caps.</summary>
    public DateOnly BusinessDay { get; private set; }
    public decimal ExpectedCommission { get; private set; }
    /// <summary>Candidates with their scores and how the winner was drawn, as JSON.</summary>
    public string CandidatesJson { get; private set; } = "[]";
    public DeliveryStatus Status { get; private set; }
    public decimal? FundedAmount { get; private set; }

    private Allocation() { }

    public Allocation(ApplicationId applicationId, LenderId lenderId, ProductId productId, SourceId sourceId,
        RoutingStrategy strategy, DateTimeOffset allocatedAt, DateOnly businessDay, decimal expectedCommission,
        string candidatesJson)
    {
        Id = AllocationId.New();
        ApplicationId = applicationId;
        LenderId = lenderId;
        ProductId = productId;
        SourceId = sourceId;
        Strategy = strategy;
        AllocatedAt = allocatedAt;
        BusinessDay = businessDay;
        ExpectedCommission = Money.Round(expectedCommission);
        CandidatesJson = candidatesJson;
        Status = DeliveryStatus.Delivered;
    }

    /// <summary>Applies a lender's report; only delivered → approved/declined and approved → funded are allowed.</summary>
    public void Record(LenderOutcome outcome, decimal? fundedAmount)
    {
        switch (outcome, Status)
        {
            case (LenderOutcome.Approved, DeliveryStatus.Delivered):
                Status = DeliveryStatus.Approved;
                break;
            case (LenderOutcome.Declined, DeliveryStatus.Delivered):
                Status = DeliveryStatus.Declined;
                break;
            case (LenderOutcome.Funded, DeliveryStatus.Approved):
                if (fundedAmount is not { } amount || amount <= 0m)
                    throw new DomainException("A funded outcome needs a positive funded amount.");
                Status = DeliveryStatus.Funded;
                FundedAmount = Money.Round(amount);
                break;
            default:
                throw new DomainException($"A lead that is {Status} cannot become {outcome}.");
        }
    }
}
