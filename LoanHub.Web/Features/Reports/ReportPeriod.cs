namespace LoanHub.Web.Features.Reports;

/// <summary>The report page's ready-made periods, in China Standard Time days; a week starts on Monday, as in China.</summary>
public enum ReportPeriod { Today, Yesterday, ThisWeek, LastWeek, ThisMonth, LastMonth }

public static class ReportPeriods
{
    /// <summary>The first and last day of <paramref name="period"/> seen from <paramref name="today"/>; periods that are under way end today.</summary>
    public static (DateOnly From, DateOnly To) Of(ReportPeriod period, DateOnly today)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1);
        return period switch
        {
            ReportPeriod.Today => (today, today),
            ReportPeriod.Yesterday => (today.AddDays(-1), today.AddDays(-1)),
            ReportPeriod.ThisWeek => (monday, today),
            ReportPeriod.LastWeek => (monday.AddDays(-7), monday.AddDays(-1)),
            ReportPeriod.ThisMonth => (firstOfMonth, today),
            ReportPeriod.LastMonth => (firstOfMonth.AddMonths(-1), firstOfMonth.AddDays(-1)),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
        };
    }
}
