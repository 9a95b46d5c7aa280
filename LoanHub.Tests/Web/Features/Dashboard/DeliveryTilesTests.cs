using Bunit;
using LoanHub.Core.Delivery;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Dashboard;

namespace LoanHub.Tests.Web.Features.Dashboard;

/// <summary>The dashboard's lender-health tile and unmatched-by-cause panel as they render their figures.</summary>
public class DeliveryTilesTests : ComponentTestContext
{
    private static readonly LenderHealth Recent = new(Attempts: 40, Prechecks: 30, PrechecksAccepted: 24, Posts: 20, PostsAccepted: 19,
        Timeouts: 2, Errors: 1, P50LatencyMs: 120, P95LatencyMs: 1_480);

    [Fact]
    public void Health_tile_counts_auto_paused_lenders_links_each_name_to_the_lenders_page_and_shows_acceptance_and_p95()
    {
        var tile = Render<LenderHealthTile>(p => p.Add(t => t.Health, new DeliveryHealth(
            [new PausedLender("L1", "First Lender", "Paused automatically: 12 timeouts"), new PausedLender("L4", "Fourth Lender", "Paused automatically: 20 errors")],
            PushLenders: 3, WindowMinutes: 15, Recent)));

        Assert.Equal("2", tile.Find("[data-testid=auto-paused-count]").TextContent.Trim());
        var links = tile.Find("[data-testid=auto-paused]").QuerySelectorAll("a");
        Assert.Equal(["First Lender", "Fourth Lender"], links.Select(a => a.TextContent.Trim()));
        Assert.All(links, a => Assert.Equal("lenders", a.GetAttribute("href")));
        Assert.Equal("Paused automatically: 12 timeouts", links[0].GetAttribute("title"));
        Assert.Equal(0.8.ToString("P1"), tile.Find("[data-testid=precheck-acceptance]").TextContent.Trim());
        Assert.Equal(0.95.ToString("P1"), tile.Find("[data-testid=post-acceptance]").TextContent.Trim());
        Assert.Equal($"{1_480:N0} ms", tile.Find("[data-testid=p95-latency]").TextContent.Trim());
        Assert.Contains("last 15 minutes", tile.Markup);
    }

    [Fact]
    public void Health_tile_without_deliveries_shows_dashes_and_says_why_instead_of_zero_percent()
    {
        var tile = Render<LenderHealthTile>(p => p.Add(t => t.Health, new DeliveryHealth([], PushLenders: 0, WindowMinutes: 15, LenderHealth.Empty)));

        Assert.Equal("0", tile.Find("[data-testid=auto-paused-count]").TextContent.Trim());
        Assert.Empty(tile.FindAll("[data-testid=auto-paused]"));
        Assert.Equal("–", tile.Find("[data-testid=precheck-acceptance]").TextContent.Trim());
        Assert.Equal("–", tile.Find("[data-testid=post-acceptance]").TextContent.Trim());
        Assert.Equal("–", tile.Find("[data-testid=p95-latency]").TextContent.Trim());
        Assert.Contains("No push lenders: every lender fetches its leads.", tile.Markup);
    }

    [Fact]
    public void Unmatched_panel_shows_each_cause_in_words_with_today_30_days_and_share_and_splits_the_bar_by_cause()
    {
        var panel = Render<UnmatchedCausesPanel>(p => p
            .Add(u => u.Today, new UnmatchedBreakdown(NoEligibleProduct: 3, RefusedByAll: 1, Deadline: 0))
            .Add(u => u.Last30Days, new UnmatchedBreakdown(NoEligibleProduct: 60, RefusedByAll: 30, Deadline: 10))
            .Add(u => u.Day, new DateOnly(2026, 12, 2))
            .Add(u => u.FirstDay, new DateOnly(2026, 11, 3)));

        string[] Row(string cause) => [.. panel.Find($"[data-testid=unmatched-{cause}]").QuerySelectorAll("td").Select(c => c.TextContent.Trim())];
        Assert.Equal(["No eligible product", "3", "60", 0.6.ToString("P1")], Row("NoEligibleProduct"));
        Assert.Equal(["Refused by every eligible lender", "1", "30", 0.3.ToString("P1")], Row("RefusedByAll"));
        Assert.Equal(["Delivery deadline passed", "0", "10", 0.1.ToString("P1")], Row("Deadline"));
        var bars = panel.FindAll(".split-bar");
        Assert.Equal(2, bars[0].Children.Length); // today: no deadline segment
        Assert.Equal(3, bars[1].Children.Length);
        Assert.Equal("Last 30 days: No eligible product 60, Refused by every eligible lender 30, Delivery deadline passed 10", bars[1].GetAttribute("aria-label"));
    }

    [Fact]
    public void Each_unmatched_count_opens_the_applications_list_of_that_cause_and_period()
    {
        var panel = Render<UnmatchedCausesPanel>(p => p
            .Add(u => u.Today, new UnmatchedBreakdown(3, 1, 0))
            .Add(u => u.Last30Days, new UnmatchedBreakdown(60, 30, 10))
            .Add(u => u.Day, new DateOnly(2026, 12, 2))
            .Add(u => u.FirstDay, new DateOnly(2026, 11, 3)));

        Assert.Equal("applications?status=Unmatched&cause=Deadline&from=2026-12-02&to=2026-12-02",
            panel.Find("[data-testid=unmatched-Deadline-today]").GetAttribute("href"));
        Assert.Equal("applications?status=Unmatched&cause=RefusedByAll&from=2026-11-03&to=2026-12-02",
            panel.Find("[data-testid=unmatched-RefusedByAll-30-days]").GetAttribute("href"));
    }
}
