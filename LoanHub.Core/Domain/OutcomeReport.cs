namespace LoanHub.Core.Domain;

/// <summary>One postback from a lender, kept as received; <see cref="EventId"/> is the lender's idempotency key.</summary>
public sealed class OutcomeReport
{
    public Guid Id { get; private set; }
    public LenderId LenderId { get; private set; }
    public string EventId { get; private set; } = "";
    public AllocationId AllocationId { get; private set; }
    public ApplicationId ApplicationId { get; private set; }
    public LenderOutcome Outcome { get; private set; }
    public decimal? FundedAmount { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public string RequestHash { get; private set; } = "";

    private OutcomeReport() { }

    public OutcomeReport(LenderId lenderId, string eventId, AllocationId allocationId, ApplicationId applicationId,
        LenderOutcome outcome, decimal? fundedAmount, DateTimeOffset occurredAt, DateTimeOffset receivedAt, string requestHash)
    {
        Id = Guid.CreateVersion7();
        LenderId = lenderId;
        EventId = eventId;
        AllocationId = allocationId;
        ApplicationId = applicationId;
        Outcome = outcome;
        FundedAmount = fundedAmount;
        OccurredAt = occurredAt;
        ReceivedAt = receivedAt;
        RequestHash = requestHash;
    }
}
