using LoanHub.Core.Domain;
using LoanHub.Web.Features.Applications;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>The list's filters as the address spells them, which the page, the export and other pages' links share.</summary>
public class ApplicationQueryTests
{
    private static readonly FilterChoice<SourceId> Ads = new(SourceId.New(), "ADS", "广告");
    private static readonly FilterChoice<LenderId> L1 = new(LenderId.New(), "L1", "招商银行");
    private static readonly ApplicationFilterOptions Options = new([Ads], [L1]);

    private static ApplicationFilter Parse(params (string Name, string Value)[] query) =>
        ApplicationQuery.Parse(name => query.FirstOrDefault(q => q.Name == name).Value, Options);

    [Fact]
    public void Every_filter_is_read_back_from_the_address_it_writes()
    {
        var filter = new ApplicationFilter
        {
            Status = ApplicationStatus.Unmatched, Tier = RiskTier.C, Cause = UnmatchedCause.Deadline, Source = Ads.Id, Lender = L1.Id,
            From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 12, 2),
        };

        var url = ApplicationQuery.Url(ApplicationQuery.PagePath, filter, Options);

        Assert.Equal("applications?status=Unmatched&tier=C&cause=Deadline&source=ADS&lender=L1&from=2026-11-01&to=2026-12-02", url);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("https://x/" + url).Query);
        Assert.Equal(filter, ApplicationQuery.Parse(name => query.TryGetValue(name, out var v) ? v.ToString() : null, Options));
    }

    [Fact]
    public void An_open_filter_writes_no_parameter()
    {
        Assert.Equal("applications/export.csv", ApplicationQuery.Url(ApplicationQuery.ExportPath, new ApplicationFilter(), Options));
        Assert.All(ApplicationQuery.Parameters(new ApplicationFilter(), Options).Values, Assert.Null);
    }

    [Theory]
    [InlineData("status", "3")]
    [InlineData("status", "Routed, Unmatched")]
    [InlineData("status", "<script>")]
    [InlineData("tier", "F")]
    [InlineData("cause", "Bored")]
    [InlineData("source", "NOPE")]
    [InlineData("lender", "")]
    [InlineData("from", "2026-13-01")]
    [InlineData("to", "02/12/2026")]
    public void A_value_that_means_nothing_is_ignored(string name, string value)
    {
        Assert.Equal(new ApplicationFilter(), Parse((name, value)));
    }

    [Fact]
    public void Names_and_codes_are_read_whatever_their_case_and_a_period_the_wrong_way_round_is_no_period()
    {
        Assert.Equal(new ApplicationFilter { Status = ApplicationStatus.InReview, Source = Ads.Id, Cause = UnmatchedCause.RefusedByAll },
            Parse(("status", "inreview"), ("source", "ads"), ("cause", "refusedbyall")));
        Assert.Equal(new ApplicationFilter(), Parse(("from", "2026-12-02"), ("to", "2026-12-01")));
    }

    [Fact]
    public void The_national_id_or_phone_search_never_reaches_the_address()
    {
        var url = ApplicationQuery.Url(ApplicationQuery.PagePath, new ApplicationFilter { IdOrPhone = "13912345678" }, Options);

        Assert.Equal("applications", url);
    }
}
