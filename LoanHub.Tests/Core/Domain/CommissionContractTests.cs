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

    [Fact]
    public void Bid_earns_the_winning_bid_on_delivery_rounded_to_the_fen_and_nothing_later()
    {
        var bid = CommissionContract.PerBid(40m);
        Assert.Equal(40m, bid.MinPrice);
        Assert.Equal(CommissionEvent.Delivered, bid.EarnsOn);
        Assert.Equal(55.50m, bid.Earned(CommissionEvent.Delivered, bid: 55.50m));
        Assert.Equal(40m, bid.Earned(CommissionEvent.Delivered, bid: 40m));
        Assert.Equal(0m, bid.Earned(CommissionEvent.Approved, bid: 55.50m));
        Assert.Equal(0m, bid.Earned(CommissionEvent.Funded, 10_000m, 55.50m));
    }

    [Fact]
    public void Bid_below_the_minimum_or_in_parts_of_a_fen_or_missing_earns_nothing_and_is_refused()
    {
        var bid = CommissionContract.PerBid(40m);
        Assert.True(bid.AcceptsBid(40m));
        Assert.False(bid.AcceptsBid(39.99m));
        Assert.False(bid.AcceptsBid(40.005m));
        Assert.Throws<DomainException>(() => bid.Earned(CommissionEvent.Delivered, bid: 39.99m));
        Assert.Throws<DomainException>(() => bid.Earned(CommissionEvent.Delivered));
    }

    [Fact]
    public void Only_a_bid_product_accepts_bids_or_has_a_minimum_price()
    {
        foreach (var contract in (CommissionContract[])[CommissionContract.PerLead(40m), CommissionContract.PerApproval(40m), CommissionContract.PerSale(0.5m)])
        {
            Assert.False(contract.AcceptsBid(100m));
            Assert.Equal(0m, contract.MinPrice);
        }
    }

    [Fact]
    public void Cps_earns_on_funding_only_and_a_rate_of_exactly_100_percent_is_allowed()
    {
        var cps = CommissionContract.PerSale(1m);
        Assert.Equal(CommissionEvent.Funded, cps.EarnsOn);
        Assert.Equal(0m, cps.Amount);
        Assert.Equal(0m, cps.Earned(CommissionEvent.Delivered));
        Assert.Equal(0m, cps.Earned(CommissionEvent.Approved));
        Assert.Equal(5000m, cps.Earned(CommissionEvent.Funded, 5000m));
        Assert.Throws<DomainException>(() => cps.Earned(CommissionEvent.Funded, 0m));
        Assert.Throws<DomainException>(() => cps.Earned(CommissionEvent.Funded, -1m));
    }

    [Theory]
    [InlineData(CommissionModel.CPL, CommissionEvent.Delivered)]
    [InlineData(CommissionModel.Bid, CommissionEvent.Delivered)]
    [InlineData(CommissionModel.CPA, CommissionEvent.Approved)]
    [InlineData(CommissionModel.CPS, CommissionEvent.Funded)]
    public void Each_model_is_created_as_itself_and_pays_on_its_own_event(CommissionModel model, CommissionEvent paidOn)
    {
        var contract = CommissionContract.Create(model, 25m, 0.02m);
        Assert.Equal(model, contract.Model);
        Assert.Equal(paidOn, contract.EarnsOn);
        Assert.Equal(paidOn, CommissionContract.EventPaidBy(model));
        Assert.Equal(model == CommissionModel.CPS ? (0m, 0.02m) : (25m, 0m), (contract.Amount, contract.Rate));
    }

    [Fact]
    public void An_unknown_model_or_a_negative_amount_is_refused()
    {
        Assert.Throws<DomainException>(() => CommissionContract.Create((CommissionModel)42, 25m, 0.02m));
        Assert.Throws<DomainException>(() => CommissionContract.PerLead(-5m));
        Assert.Throws<DomainException>(() => CommissionContract.PerBid(0m));
    }
}
