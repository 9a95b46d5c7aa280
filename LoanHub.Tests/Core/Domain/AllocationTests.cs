using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Domain;

public class AllocationTests
{
    private static Allocation NewAllocation(CommissionContract? contract = null) => new(ApplicationId.New(), LenderId.New(), ProductId.New(),
        SourceId.New(), RoutingStrategy.Weighted, DateTimeOffset.UnixEpoch, new DateOnly(1970, 1, 1), 12.345m,
        contract ?? CommissionContract.PerLead(30m), "[]");

    private static readonly DateTimeOffset Later = DateTimeOffset.UnixEpoch.AddHours(3);

    [Fact]
    public void Approval_keeps_the_minutes_since_delivery_and_a_decline_keeps_none()
    {
        var approved = NewAllocation();
        approved.Record(LenderOutcome.Approved, null, DateTimeOffset.UnixEpoch.AddMinutes(95.5));
        var declined = NewAllocation();
        declined.Record(LenderOutcome.Declined, null, Later);
        Assert.Equal((95, (int?)null), (approved.MinutesToApproval, declined.MinutesToApproval));
    }

    [Fact]
    public void Expected_commission_is_kept_to_the_fen()
    {
        Assert.Equal(12.35m, NewAllocation().ExpectedCommission);
    }

    [Fact]
    public void Delivered_lead_can_be_approved_then_funded()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null, Later);
        allocation.Record(LenderOutcome.Funded, 8_000m, Later);
        Assert.Equal(DeliveryStatus.Funded, allocation.Status);
        Assert.Equal(8_000m, allocation.FundedAmount);
    }

    [Theory]
    [InlineData(LenderOutcome.Funded)]
    public void Delivered_lead_cannot_be_funded_before_approval(LenderOutcome outcome)
    {
        Assert.Throws<DomainException>(() => NewAllocation().Record(outcome, 1_000m, Later));
    }

    [Fact]
    public void Declined_lead_accepts_no_further_outcome()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Declined, null, Later);
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Approved, null, Later));
        Assert.Equal(DeliveryStatus.Declined, allocation.Status);
    }

    [Fact]
    public void Approved_lead_cannot_be_declined()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null, Later);
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Declined, null, Later));
        Assert.Equal(DeliveryStatus.Approved, allocation.Status);
    }

    [Fact]
    public void Funded_lead_cannot_be_funded_again()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null, Later);
        allocation.Record(LenderOutcome.Funded, 8_000m, Later);
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Funded, 9_000m, Later));
        Assert.Equal(8_000m, allocation.FundedAmount);
    }

    [Fact]
    public void Ledger_entries_of_a_lead_earn_under_the_contract_it_was_delivered_under()
    {
        var allocation = NewAllocation(CommissionContract.PerSale(0.02m));
        var funded = new CommissionEntry(allocation, CommissionEvent.Funded, 10_000m, DateTimeOffset.UnixEpoch);
        Assert.Equal((CommissionModel.CPS, 200m), (funded.Model, funded.Amount));
        Assert.Equal(0m, new CommissionEntry(allocation, CommissionEvent.Approved, null, DateTimeOffset.UnixEpoch).Amount);
    }

    [Fact]
    public void Funding_needs_a_positive_amount()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null, Later);
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Funded, 0m, Later));
        Assert.Equal(DeliveryStatus.Approved, allocation.Status);
    }
}
