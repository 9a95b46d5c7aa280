using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Domain;

public class AllocationTests
{
    private static Allocation NewAllocation() => new(ApplicationId.New(), LenderId.New(), ProductId.New(), SourceId.New(),
        RoutingStrategy.Weighted, DateTimeOffset.UnixEpoch, new DateOnly(1970, 1, 1), 12.345m, "[]");

    [Fact]
    public void Expected_commission_is_kept_to_the_fen()
    {
        Assert.Equal(12.35m, NewAllocation().ExpectedCommission);
    }

    [Fact]
    public void Delivered_lead_can_be_approved_then_funded()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null);
        allocation.Record(LenderOutcome.Funded, 8_000m);
        Assert.Equal(DeliveryStatus.Funded, allocation.Status);
        Assert.Equal(8_000m, allocation.FundedAmount);
    }

    [Theory]
    [InlineData(LenderOutcome.Funded)]
    public void Delivered_lead_cannot_be_funded_before_approval(LenderOutcome outcome)
    {
        Assert.Throws<DomainException>(() => NewAllocation().Record(outcome, 1_000m));
    }

    [Fact]
    public void Declined_lead_accepts_no_further_outcome()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Declined, null);
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Approved, null));
        Assert.Equal(DeliveryStatus.Declined, allocation.Status);
    }

    [Fact]
    public void Funding_needs_a_positive_amount()
    {
        var allocation = NewAllocation();
        allocation.Record(LenderOutcome.Approved, null);
        Assert.Throws<DomainException>(() => allocation.Record(LenderOutcome.Funded, 0m));
        Assert.Equal(DeliveryStatus.Approved, allocation.Status);
    }
}
