using LoanHub.Core.Delivery;

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
    /// <summary>
    /// The product's contract when the lead was delivered. It governs every event of the lead: a product moved from CPL to
    /// CPA later does not earn again on this lead's approval.
    /// </summary>
    public CommissionContract Commission { get; private set; } = null!;
    /// <summary>Candidates with their scores and how the winner was drawn, as JSON.</summary>
    public string CandidatesJson { get; private set; } = "[]";
    public DeliveryStatus Status { get; private set; }
    public decimal? FundedAmount { get; private set; }
    /// <summary>Whole minutes from the delivery to the lender's approval, once approved: what time to approval is learned from.</summary>
    public int? MinutesToApproval { get; private set; }
    /// <summary>The attempt whose post the lender accepted; null for a pull lender, which fetches the lead.</summary>
    public DeliveryId? DeliveryId { get; private set; }
    /// <summary>The lender's own reference for the lead, when it gave one.</summary>
    public string? LenderRef { get; private set; }
    /// <summary>Where the borrower continues with the lender, when it gave one; passed on to the source.</summary>
    public string? RedirectUrl { get; private set; }
    /// <summary>Position in the pull feed of the lender (<c>GET /api/v1/leads</c>): strictly increasing in commit order.</summary>
    public long FeedSequence { get; private set; }

    private Allocation() { }

    public Allocation(ApplicationId applicationId, LenderId lenderId, ProductId productId, SourceId sourceId,
        RoutingStrategy strategy, DateTimeOffset allocatedAt, DateOnly businessDay, decimal expectedCommission,
        CommissionContract commission, string candidatesJson, long feedSequence = 0, DeliveryAttempt? acceptedBy = null)
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
        Commission = commission;
        CandidatesJson = candidatesJson;
        Status = DeliveryStatus.Delivered;
        FeedSequence = feedSequence;
        if (acceptedBy is not null)
        {
            if (acceptedBy.Outcome != AttemptOutcome.Accepted || acceptedBy.ApplicationId != applicationId || acceptedBy.ProductId != productId)
                throw new DomainException("An allocation to a push lender follows the attempt that lender accepted.");
            DeliveryId = acceptedBy.Id;
            LenderRef = acceptedBy.LenderRef;
            RedirectUrl = acceptedBy.RedirectUrl;
        }
    }

    /// <summary>Applies a lender's report; only delivered → approved/declined and approved → funded are allowed.</summary>
    /// <param name="occurredAt">When the lender says it happened; an approval keeps how long after the delivery that was.</param>
    public void Record(LenderOutcome outcome, decimal? fundedAmount, DateTimeOffset occurredAt)
    {
        switch (outcome, Status)
        {
            case (LenderOutcome.Approved, DeliveryStatus.Delivered):
                Status = DeliveryStatus.Approved;
                MinutesToApproval = (int)Math.Clamp((occurredAt - AllocatedAt).TotalMinutes, 0d, int.MaxValue);
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
