using Bunit;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Reports;
using MudBlazor;

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
    public void A_thirty_day_period_has_thirty_days_on_the_chart_from_the_first_to_the_last()
    {
        var last = First.AddDays(29);
        var data = CommissionChartData.Build([new DailyCommission(First, "L1", 1m), new DailyCommission(last, "L1", 2m)], First, last);

        Assert.Equal(30, data.Labels.Length);
        Assert.Equal(30, data.Series[0].Data.Values.Count);
        Assert.Equal(1, data.Series[0].Data.Values[0]);
        Assert.Equal(2, data.Series[0].Data.Values[^1]);
        Assert.Equal(30, new ReportFilter(First, last).Days);
    }

    [Theory]
    [InlineData(0.3, 1)]
    [InlineData(1, 1)]
    [InlineData(3.2, 5)]
    [InlineData(17, 20)]
    [InlineData(22, 25)]
    [InlineData(2240, 2500)]
    [InlineData(2500, 2500)]
    [InlineData(5001, 10_000)]
    public void Axis_steps_are_round_amounts(double least, int step) => Assert.Equal(step, CommissionChartData.RoundStep(least));

    [Fact]
    public void Axis_reads_as_money_in_round_steps_that_cover_the_busiest_day()
    {
        var data = CommissionChartData.Build(
        [
            new DailyCommission(First, "L1", 12_000m),
            new DailyCommission(First, "L2", 5_920m),
            new DailyCommission(First.AddDays(1), "L1", 300m),
        ], First, First.AddDays(1));

        Assert.Equal(2_500, data.YStep);
        Assert.Equal(20_000, data.YMax);
        Assert.InRange(data.YMax / data.YStep, 2, CommissionChartData.MaxYSteps);
        Assert.Equal("¥17,500", CommissionChartData.Money(17_500));
        Assert.Equal("¥0", CommissionChartData.Money(0));
    }

    [Fact]
    public void Ten_lenders_get_ten_different_colours_that_filtering_does_not_change()
    {
        var lenders = Enumerable.Range(0, 10).Select(i => $"L{i}").ToList();
        var all = CommissionChartData.Build(lenders.Select(l => new DailyCommission(First, l, 1m)).ToList(), First, First, lenders);
        Assert.Equal(10, all.Palette.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        var one = CommissionChartData.Build([new DailyCommission(First, "L7", 1m)], First, First, lenders);
        Assert.Equal(all.Palette[7], Assert.Single(one.Palette));
    }

    [Fact]
    public void Chart_is_drawn_with_the_money_axis_and_the_lender_colours()
    {
        var chart = Render<CommissionChart>(p => p
            .Add(c => c.Days, [new DailyCommission(First, "L2", 12_000m)])
            .Add(c => c.From, First).Add(c => c.To, First.AddDays(6))
            .Add(c => c.Lenders, ["L1", "L2"]));

        var options = Assert.IsType<StackedBarChartOptions>(chart.FindComponent<MudChart<double>>().Instance.ChartOptions);
        Assert.Equal(2_000, options.YAxisTicks);
        Assert.Equal("¥10,000", options.YAxisToStringFunc!(10_000));
        Assert.Equal([CommissionChartData.Colours[1]], options.ChartPalette);
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
        Assert.Contains("Every lead delivered more than 14 days ago has an outcome from its lender.", panel.Markup);

        panel.Find("input").Change("-3");
        Assert.Equal(0, chosen);

        panel.Find("input").Change("7");
        Assert.Equal(7, chosen);

        panel.Find("input").Change("1000");
        Assert.Equal(365, chosen);
    }
}
