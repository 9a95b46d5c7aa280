using LoanHub.Core.Domain;

namespace LoanHub.Tests.Core.Domain;

public class CommissionContractTests
{
    [Fact]
    public void Cpl_earns_its_amount_on_delivery_only()
    {
        var cpl = CommissionContract.PerLead(30m);
        Assert.Equal(30m, cpl.Earned(CommissionEvent.Delivered));
        Assert.Equal(0m, cpl.Earned(CommissionEvent.Approved));
        Assert.Equal(0m, cpl.Earned(CommissionEvent.Funded, 10_000m));
    }

    [Fact]
    public void Cpa_earns_its_amount_on_approval_only()
    {
        var cpa = CommissionContract.PerApproval(200m);
        Assert.Equal(0m, cpa.Earned(CommissionEvent.Delivered));
        Assert.Equal(200m, cpa.Earned(CommissionEvent.Approved));
    }

    [Theory]
    [InlineData("0.02", "12345.25", "246.91")]   // 246.905 rounds half away from zero
    [InlineData("0.015", "1000.10", "15.00")]    // 15.0015
    [InlineData("0.025", "333.30", "8.33")]      // 8.3325
    [InlineData("0.03", "50.50", "1.52")]        // 1.515
    public void Cps_earns_rate_times_funded_rounded_half_away_from_zero(string rate, string funded, string expected)
    {
        var cps = CommissionContract.PerSale(decimal.Parse(rate));
        Assert.Equal(decimal.Parse(expected), cps.Earned(CommissionEvent.Funded, decimal.Parse(funded)));
    }

    [Fact]
    public void Cps_without_a_funded_amount_is_refused()
    {
        Assert.Throws<DomainException>(() => CommissionContract.PerSale(0.02m).Earned(CommissionEvent.Funded));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1.001)]
    public void Cps_rate_must_be_within_0_and_1(double rate)
    {
        Assert.Throws<DomainException>(() => CommissionContract.PerSale((decimal)rate));
    }

    [Fact]
    public void Fixed_amounts_need_at_most_two_decimal_places()
    {
        Assert.Throws<DomainException>(() => CommissionContract.PerLead(30.005m));
        Assert.Throws<DomainException>(() => CommissionContract.PerApproval(0m));
    }
}
