using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Applications;

/// <summary>The console shows instants in China Standard Time, the time zone of the business.</summary>
public static class ChinaTime
{
    public static string Format(DateTimeOffset at, string format = "yyyy-MM-dd HH:mm") =>
        at.ToOffset(BusinessDay.ChinaStandardTime).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly? Day(DateTime? picked) => picked is { } value ? DateOnly.FromDateTime(value) : null;
}
