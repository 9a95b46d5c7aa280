using System.Globalization;
using MudBlazor;

namespace LoanHub.Web.Features.Reports;

/// <summary>
/// The chart of commission per day per lender: one label per day of the period (thinned out on long periods so they
/// stay readable), one series per lender with a value for every day, zero on days it earned nothing.
/// </summary>
public sealed record CommissionChartData(string[] Labels, List<ChartSeries<double>> Series)
{
    public const int MaxLabels = 16;

    public static CommissionChartData Empty { get; } = new([], []);

    public static CommissionChartData Build(IReadOnlyList<DailyCommission> days, DateOnly from, DateOnly to)
    {
        if (to < from || days.Count == 0) return Empty;
        var count = to.DayNumber - from.DayNumber + 1;
        var every = Math.Max(1, (int)Math.Ceiling(count / (double)MaxLabels));
        var labels = Enumerable.Range(0, count)
            // Counted back from the last day, so the last day is labelled and no two labels crowd each other.
            .Select(i => (count - 1 - i) % every == 0 ? from.AddDays(i).ToString("MM-dd", CultureInfo.InvariantCulture) : "")
            .ToArray();
        var series = days.Where(d => d.Day >= from && d.Day <= to)
            .GroupBy(d => d.LenderCode)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var data = new double[count];
                foreach (var day in g) data[day.Day.DayNumber - from.DayNumber] += (double)day.Commission;
                return new ChartSeries<double> { Name = g.Key, Data = data };
            })
            .ToList();
        return new CommissionChartData(labels, series);
    }
}
