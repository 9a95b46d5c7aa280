using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using System.Globalization;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Localization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LoanHub.Web.Features.Routing;

/// <summary>
/// The routing page's Insights: per product and the chosen risk tier, the rates learned from outcomes with the counts and
/// 90 % intervals behind them, a chart of learned against observed approval, and which products have too few outcomes to trust.
/// </summary>
public sealed partial class RoutingInsights
{
    [Inject] private InsightsService Insights { get; set; } = null!;

    private Insights? insights;
    private string? error;
    private bool loading;
    private RiskTier tier = RiskTier.A;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        loading = true;
        try
        {
            insights = await Insights.LoadAsync();
            error = null;
        }
        catch (Exception e)
        {
            error = L["Could not load the insights: {0}", e.Message];
        }
        finally
        {
            loading = false;
        }
    }

    private IReadOnlyList<InsightRow> Rows => insights?.Rows.Where(r => r.Tier == tier).ToList() ?? [];

    private static readonly BarChartOptions ChartOptions = new() { XAxisLabelRotation = 45 };

    private string[] Labels => [.. Rows.Select(r => r.ProductCode)];

    private List<ChartSeries<double>> Series =>
    [
        new() { Name = L["Learned approval %"], Data = Rows.Select(r => Math.Round(r.Rates.Approval.Value * 100, 1)).ToArray() },
        new() { Name = L["Observed approval %"], Data = Rows.Select(r => Math.Round((r.Rates.Approval.Raw ?? 0d) * 100, 1)).ToArray() },
    ];

    // Two sentences: English puts a space between them, Chinese none.
    private string Explanation(Insights insights) => L["{0} {1}",
        insights.AsOf == DateTimeOffset.MinValue ? L["Not counted from the store yet."] : L["Counted from the store at {0} CST.", ChinaTime.Format(insights.AsOf)],
        L["Each rate is shrunk toward its tier's rate over all products, with a prior worth {0} outcomes; ranges are 90 % credible intervals. Routing, budgets and the what-if forecast commission from these rates.",
            insights.Priors.Strength.ToString("0", CultureInfo.InvariantCulture)]];

    private string Interval(RateEstimate estimate, int? successes) =>
        $"{ConsoleFormat.Percent(estimate.Lower, 0)}–{ConsoleFormat.Percent(estimate.Upper, 0)} · "
        + (successes is { } s ? L["{0} of {1}", s.ToString("N0"), estimate.Trials.ToString("N0")] : L["{0} funded", estimate.Trials.ToString("N0")]);
}
