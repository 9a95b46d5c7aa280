using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Learning;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using static System.FormattableString;

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
            error = Text.LoadFailed(e.Message);
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
        new() { Name = Text.Learned, Data = Rows.Select(r => Math.Round(r.Rates.Approval.Value * 100, 1)).ToArray() },
        new() { Name = Text.Observed, Data = Rows.Select(r => Math.Round((r.Rates.Approval.Raw ?? 0d) * 100, 1)).ToArray() },
    ];

    /// <summary>Every text the view shows, in one place.</summary>
    private static class Text
    {
        public const string Title = "Rates learned from outcomes";
        public const string TierPicker = "Risk tier";
        public const string Reload = "Reload the insights";
        public const string NoProducts = "No lender products yet. Add them under Lenders & products.";
        public const string NoOutcomes = "No lender has reported an outcome yet: every rate below is its prior (the defaults routing used before it learned).";
        public const string Product = "Product";
        public const string Leads = "Leads offered";
        public const string Acceptance = "Accepted";
        public const string Decided = "Decided";
        public const string Approval = "Approved";
        public const string Funded = "Funded";
        public const string FundingRatio = "Funding ratio";
        public const string MedianHours = "Median time to approval";
        public const string TooFew = "Too few outcomes";
        public const string Learned = "Learned approval %";
        public const string Observed = "Observed approval %";

        public static string Tier(RiskTier tier) => $"Tier {tier}";

        public static string ChartTitle(RiskTier tier) =>
            $"Approval rate per product, tier {tier}: learned (shrunk toward the tier) beside what the outcomes alone show";

        public static string Explanation(Insights insights) =>
            (insights.AsOf == DateTimeOffset.MinValue ? "Not counted from the store yet. "
                : Invariant($"Counted from the store at {insights.AsOf.ToOffset(BusinessDay.ChinaStandardTime):yyyy-MM-dd HH:mm} CST. "))
            + Invariant($"Each rate is shrunk toward its tier's rate over all products, with a prior worth {insights.Priors.Strength:0} outcomes; ")
            + "ranges are 90 % credible intervals. Routing, budgets and the what-if forecast commission from these rates.";

        public static string Interval(RateEstimate estimate, int? successes) =>
            Invariant($"{estimate.Lower:P0}–{estimate.Upper:P0} · ") + (successes is { } s ? Invariant($"{s:N0} of {estimate.Trials:N0}") : Invariant($"{estimate.Trials:N0} funded"));

        public static string TooFewHint(RatePriors priors) =>
            $"Fewer than {priors.MinOutcomes} decided outcomes for this product and tier: its approval rate is still mostly the tier's.";

        public static string LoadFailed(string message) => $"Could not load the insights: {message}";
    }
}
