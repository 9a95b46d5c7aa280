using Bunit;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Components;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>The routing page over the real routing and insights services, store and refresher (the example seed), opened on its Insights tab.</summary>
public abstract class InsightsPageContext : ComponentTestContext
{
    protected InsightsPageContext(LoanHubHost host)
    {
        Host = host;
        Services.AddSingleton(host.Services.GetRequiredService<RoutingService>());
        Services.AddSingleton(host.Services.GetRequiredService<RoutingPolicyService>());
        Services.AddSingleton(host.Services.GetRequiredService<InsightsService>());
        Services.AddSingleton(TimeProvider.System);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected LoanHubHost Host { get; }

    protected IRenderedComponent<RoutingPage> OpenInsights()
    {
        SignInAs("analyst@test.local", Roles.Analyst);
        RenderPopoverProvider();
        var page = Render<RoutingPage>();
        page.WaitForElement("[data-testid=product-L1-CASH]");
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Insights").Click();
        page.WaitForElement("[data-testid=insight-L1-CASH]");
        return page;
    }
}

public class RoutingInsightsTests(LoanHubHost host) : InsightsPageContext(host), IClassFixture<LoanHubHost>
{
    private static int people = 821_000;

    [Fact]
    public async Task Insights_tab_shows_the_chosen_tier_of_each_product_with_its_counts_interval_and_a_too_few_chip()
    {
        var leads = new RoutedLeads(Host.CreateClient(), () => Interlocked.Increment(ref people));
        var id = await leads.CpaAsync();
        Assert.True((await leads.PostbackAsync(id, "Approved")).IsSuccessStatusCode);
        await Host.Services.GetRequiredService<LearnedRatesRefresher>().RefreshAsync();
        RiskTier tier;
        await using (var db = Host.CreateDbContext())
        {
            var applicationId = new LoanHub.Core.Domain.ApplicationId(Guid.Parse(id));
            tier = await db.Assessments.Where(a => a.ApplicationId == applicationId).Select(a => a.Tier).SingleAsync();
        }

        var page = OpenInsights();
        page.Find($"[data-testid=tier-{tier}]").Click();

        var row = page.WaitForElement("[data-testid=insight-L1-INST]");
        Assert.Contains("1 of 1", page.Find("[data-testid=approval-L1-INST]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector("[data-testid=too-few]"));
        Assert.Empty(page.FindAll("[data-testid=insights-no-outcomes]"));
        // One approval of one moves the product only a little from its tier: nowhere near 100 %.
        Assert.DoesNotContain("100.0%", page.Find("[data-testid=approval-L1-INST]").TextContent, StringComparison.Ordinal);
    }

}

/// <summary>The Insights tab on a store no lender has reported to yet.</summary>
public class RoutingInsightsWithoutOutcomesTests(LoanHubHost host) : InsightsPageContext(host), IClassFixture<LoanHubHost>
{
    [Fact]
    public void Before_any_outcome_the_insights_say_every_rate_is_its_prior()
    {
        var page = OpenInsights();

        page.WaitForElement("[data-testid=insights-no-outcomes]");
        Assert.Contains("60.0%", page.Find("[data-testid=approval-L1-CASH]").TextContent, StringComparison.Ordinal); // tier A's prior
    }
}
