namespace LoanHub.Core.Engine;

/// <summary>
/// The calendar day an instant belongs to for caps, budgets and ages: China Standard Time (UTC+8),
/// which has no daylight saving, so a fixed offset is exact and needs no time-zone database.
/// </summary>
public static class BusinessDay
{
    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static DateOnly Of(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ChinaStandardTime).DateTime);

    /// <summary>The first day of the month <paramref name="day"/> falls in, the key for monthly budgets.</summary>
    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);
}
