using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Reports;

namespace LoanHub.Tests.Web.Features.Reports;

public class ReportComponentTests : ComponentTestContext
{
    private static readonly DateOnly First = new(2026, 3, 1);

    [Fact]
    public void Chart_has_a_value_for_every_day_and_lender_with_zero_on_quiet_days()
    {
        var data = CommissionChartData.Build(
        [
            new DailyCommission(First, "L1", 10.5m),
            new DailyCommission(First.AddDays(2), "L1", 4m),
            new DailyCommission(First.AddDays(1), "L2", 30m),
        ], First, First.AddDays(2));

        Assert.Equal(["03-01", "03-02", "03-03"], data.Labels);
        Assert.Equal(["L1", "L2"], data.Series.Select(s => s.Name));
        Assert.Equal([10.5, 0, 4], data.Series[0].Data.Values);
        Assert.Equal([0, 30, 0], data.Series[1].Data.Values);
    }

    [Fact]
    public void Chart_labels_thin_out_on_a_long_period_but_keep_the_last_day()
    {
        var data = CommissionChartData.Build([new DailyCommission(First, "L1", 1m)], First, First.AddDays(90));
        Assert.Equal(91, data.Labels.Length);
        Assert.InRange(data.Labels.Count(l => l.Length > 0), 2, CommissionChartData.MaxLabels + 1);
        Assert.Equal("05-30", data.Labels[^1]);
    }

    [Fact]
    public void Chart_without_commission_says_so()
    {
        var chart = Render<CommissionChart>(p => p.Add(c => c.Days, []).Add(c => c.From, First).Add(c => c.To, First.AddDays(6)));
        Assert.Contains("No commission in this period.", chart.Find("[data-testid=chart-empty]").TextContent);
    }

    [Fact]
    public void Reconciliation_lists_the_leads_without_an_outcome_and_flags_their_lender()
    {
        var routed = new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);
        var reconciliation = new Reconciliation(14,
        [
            new ReconciliationRow("L1", "First Lender", 10, 4, 2, 20_000m, 400m, 0),
            new ReconciliationRow("L2", "Second Lender", 5, 0, 0, 0m, 150m, 2),
        ], 2,
        [
            new UnreportedLead(Guid.NewGuid(), "L2", "L2-MICRO", "ADS", routed, 20),
            new UnreportedLead(Guid.NewGuid(), "L2", "L2-MICRO", "APP", routed.AddHours(1), 20),
        ]);

        var panel = Render<ReconciliationPanel>(p => p.Add(c => c.Reconciliation, reconciliation).Add(c => c.OlderThanDays, 14));

        Assert.Contains("2 leads delivered more than 14 days ago without an outcome", panel.Find("[data-testid=unreported-count]").TextContent);
        Assert.Contains("¥150.00", panel.Find("[data-testid=reconcile-L2]").TextContent);
        Assert.Contains("2026-03-01 10:00", panel.Markup); // shown in China Standard Time
        Assert.Empty(panel.Find("[data-testid=reconcile-L1]").QuerySelectorAll(".mud-chip"));
        Assert.Single(panel.Find("[data-testid=reconcile-L2]").QuerySelectorAll(".mud-chip"));
    }

    [Fact]
    public void Reconciliation_threshold_is_kept_within_range_and_passed_up()
    {
        int? chosen = null;
        var panel = Render<ReconciliationPanel>(p => p
            .Add(c => c.Reconciliation, new Reconciliation(14, [new ReconciliationRow("L1", "First Lender", 1, 0, 0, 0m, 0m, 0)], 0, []))
            .Add(c => c.OlderThanDays, 14)
            .Add(c => c.OlderThanDaysChanged, (int days) => chosen = days));
        Assert.Contains("Every lead delivered more than 14 days has an outcome.", panel.Markup);

        panel.Find("input").Change("-3");
        Assert.Equal(0, chosen);

        panel.Find("input").Change("7");
        Assert.Equal(7, chosen);

        panel.Find("input").Change("1000");
        Assert.Equal(365, chosen);
    }
}
