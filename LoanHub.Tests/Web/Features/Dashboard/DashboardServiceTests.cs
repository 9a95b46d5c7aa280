using LoanHub.Core.Domain;
using LoanHub.Web.Features.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Dashboard;

public class DashboardServiceTests
{
    [Fact]
    public async Task Dashboard_counts_today_lender_shares_and_fraud_rate_per_source()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        for (var i = 0; i < 6; i++) await PostAsync(client, ValidBody(nationalId: NationalId(460_000 + i)));
        var device = $"shared-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++) await PostAsync(client, ValidBody(nationalId: NationalId(460_100 + i), deviceId: device), AppKey);

        var snapshot = await host.Services.GetRequiredService<DashboardService>().LoadAsync();

        Assert.Equal(9, snapshot.TodayTotal);
        Assert.Equal(1, snapshot.Count(snapshot.Today, ApplicationStatus.InReview));
        Assert.Equal(1, snapshot.OpenReviewCases);
        var routed = snapshot.Count(snapshot.Today, ApplicationStatus.Routed);
        Assert.Equal(routed, snapshot.LenderShares.Sum(l => l.Leads));
        Assert.Equal(1.0, snapshot.LenderShares.Sum(l => l.ActualShare), 3);
        Assert.Equal(1.0, snapshot.LenderShares.Sum(l => l.TargetShare), 3);
        var ads = snapshot.SourceFraudRates.Single(s => s.SourceCode == "ADS");
        var app = snapshot.SourceFraudRates.Single(s => s.SourceCode == "APP");
        Assert.Equal((6, 0), (ads.Applicants, ads.Flagged));
        Assert.Equal(3, app.Applicants);
        Assert.True(app.Flagged >= 1); // the third on the shared device at least
    }

    [Theory]
    [InlineData(RoutingStrategy.Weighted, true)]
    [InlineData(RoutingStrategy.Priority, false)]
    [InlineData(RoutingStrategy.ExpectedValue, false)]
    [InlineData(RoutingStrategy.Auction, false)]
    public async Task Target_shares_are_offered_only_under_the_strategy_whose_weights_aim_for_them(RoutingStrategy strategy, bool hasTargets)
    {
        using var host = new LoanHubHost();
        await using var seed = await PushLenders.AddAsync(host, strategy);

        var snapshot = await host.Services.GetRequiredService<DashboardService>().LoadAsync();

        Assert.Equal((strategy, hasTargets), (snapshot.Strategy, snapshot.HasTargetShares));
    }
}

