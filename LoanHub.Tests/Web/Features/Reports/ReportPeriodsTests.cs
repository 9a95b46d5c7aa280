using LoanHub.Web.Features.Reports;

namespace LoanHub.Tests.Web.Features.Reports;

public class ReportPeriodsTests
{
    // 2026-12-02 is a Wednesday; 2026-03-01 a Sunday, in a year whose February has 28 days.
    [Theory]
    [InlineData("2026-12-02", ReportPeriod.Today, "2026-12-02", "2026-12-02")]
    [InlineData("2026-12-02", ReportPeriod.Yesterday, "2026-12-01", "2026-12-01")]
    [InlineData("2026-12-02", ReportPeriod.ThisWeek, "2026-11-30", "2026-12-02")]
    [InlineData("2026-12-02", ReportPeriod.LastWeek, "2026-11-23", "2026-11-29")]
    [InlineData("2026-12-02", ReportPeriod.ThisMonth, "2026-12-01", "2026-12-02")]
    [InlineData("2026-12-02", ReportPeriod.LastMonth, "2026-11-01", "2026-11-30")]
    [InlineData("2026-03-01", ReportPeriod.ThisWeek, "2026-02-23", "2026-03-01")]
    [InlineData("2026-03-01", ReportPeriod.LastWeek, "2026-02-16", "2026-02-22")]
    [InlineData("2026-03-01", ReportPeriod.Yesterday, "2026-02-28", "2026-02-28")]
    [InlineData("2026-03-01", ReportPeriod.LastMonth, "2026-02-01", "2026-02-28")]
    [InlineData("2026-11-30", ReportPeriod.ThisWeek, "2026-11-30", "2026-11-30")]
    [InlineData("2027-01-01", ReportPeriod.LastMonth, "2026-12-01", "2026-12-31")]
    public void Periods_are_whole_china_days_with_weeks_from_monday(string today, ReportPeriod period, string from, string to) =>
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to)), ReportPeriods.Of(period, DateOnly.Parse(today)));
}
