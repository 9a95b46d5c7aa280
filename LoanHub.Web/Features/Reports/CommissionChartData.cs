using System.Globalization;
using MudBlazor;

namespace LoanHub.Web.Features.Reports;

/// <summary>
/// The chart of commission per day per lender: one label per day of the period (thinned out on long periods so they
/// stay readable), one series per lender with a value for every day, zero on days it earned nothing; a money axis in
/// round steps, and a colour per lender that stays the same whichever lenders the filter leaves in.
/// </summary>
public sealed record CommissionChartData(string[] Labels, List<ChartSeries<double>> Series, string[] Palette, int YStep, int YMax)
{
    public const int MaxLabels = 16;

    /// <summary>At most this many steps up the axis, so its labels never crowd each other.</summary>
    public const int MaxYSteps = 8;

    /// <summary>
    /// Ten colours told apart at a glance and by most colour-blind readers (Tableau 10); lenders past the tenth reuse them.
    /// </summary>
    public static IReadOnlyList<string> Colours { get; } =
        ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC"];

    public static CommissionChartData Empty { get; } = new([], [], [], 1, 1);

    /// <param name="lenders">
    /// Every lender code in a fixed order; a lender's colour is picked by its place here, so filtering does not repaint it.
    /// Lenders missing from it (or all, when it is empty) are coloured by their place in the chart.
    /// </param>
    public static CommissionChartData Build(IReadOnlyList<DailyCommission> days, DateOnly from, DateOnly to, IReadOnlyList<string>? lenders = null)
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
                return new ChartSeries<double>
                {
                    Name = g.Key,
                    Data = data,
                    TooltipTitleFormat = "{{SERIES_NAME}}: {{Y_VALUE}}",
                    TooltipYValueFormat = "¥#,##0.00",
                };
            })
            .ToList();
        var palette = series.Select((s, i) => Colours[ColourIndex(s.Name, i, lenders) % Colours.Count]).ToArray();
        var highest = Enumerable.Range(0, count).Max(day => series.Sum(s => s.Data.Values[day]));
        var step = RoundStep(highest / MaxYSteps);
        return new CommissionChartData(labels, series, palette, step, Math.Max(1, (int)Math.Ceiling(highest / step)) * step);
    }

    /// <summary>The axis label of an amount: whole yuan with thousands separators.</summary>
    public static string Money(double value) => "¥" + value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The smallest of 1, 2, 2.5 (from 10 up) and 5 times a power of ten that is at least <paramref name="least"/>; never below ¥1.</summary>
    public static int RoundStep(double least)
    {
        if (least <= 1) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(least)));
        foreach (var factor in new[] { 1, 2, 2.5, 5, 10 })
        {
            var step = factor * power;
            if (step >= least && step == Math.Floor(step)) return (int)step;
        }
        return (int)(10 * power);
    }

    private static int ColourIndex(string lender, int place, IReadOnlyList<string>? lenders)
    {
        var known = lenders is null ? -1 : IndexOf(lenders, lender);
        return known >= 0 ? known : place;
    }

    private static int IndexOf(IReadOnlyList<string> codes, string code)
    {
        for (var i = 0; i < codes.Count; i++)
            if (string.Equals(codes[i], code, StringComparison.Ordinal)) return i;
        return -1;
    }
}
