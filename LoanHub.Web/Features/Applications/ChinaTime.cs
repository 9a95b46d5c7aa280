using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Applications;

/// <summary>The console shows instants in China Standard Time, the time zone of the business.</summary>
public static class ChinaTime
{
    public static string Format(DateTimeOffset at, string format = "yyyy-MM-dd HH:mm") =>
        at.ToOffset(BusinessDay.ChinaStandardTime).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The instant a China business day begins (00:00 CST).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), BusinessDay.ChinaStandardTime);

    public static DateOnly? Day(DateTime? picked) => picked is { } value ? DateOnly.FromDateTime(value) : null;
}
