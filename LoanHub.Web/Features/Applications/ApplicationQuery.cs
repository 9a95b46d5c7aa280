using System.Globalization;
using LoanHub.Core.Domain;
using Microsoft.AspNetCore.WebUtilities;

namespace LoanHub.Web.Features.Applications;

/// <summary>
/// The applications list's filters as a query string, one spelling for the page's own address (shareable, the back button
/// returns to the previous filter), the CSV export and the links other pages make: <c>status=Unmatched&amp;cause=Deadline&amp;
/// source=ADS&amp;lender=L1&amp;tier=C&amp;from=2026-12-01&amp;to=2026-12-02</c>. Sources and lenders go by code, statuses, tiers and
/// causes by their names, days as China business days. A value that means nothing is ignored, as if it were not there.
/// The national ID or phone search is never written to an address: it is sensitive personal information, and addresses
/// end up in browser history, proxies' logs and Referer headers.
/// </summary>
public static class ApplicationQuery
{
    public const string Status = "status";
    public const string Tier = "tier";
    public const string Source = "source";
    public const string Lender = "lender";
    public const string From = "from";
    public const string To = "to";
    public const string Cause = "cause";

    public const string PagePath = "applications";
    public const string ExportPath = "applications/export.csv";

    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>The filter the query's values name; <paramref name="value"/> gives a parameter's value, or null when it is absent.</summary>
    public static ApplicationFilter Parse(Func<string, string?> value, ApplicationFilterOptions options)
    {
        DateOnly? from = Day(value(From)), to = Day(value(To));
        // A period the wrong way round names no period: both ends are ignored, as the page never writes one.
        if (from > to) from = to = null;
        return new ApplicationFilter
        {
            Status = Named<ApplicationStatus>(value(Status)),
            Tier = Named<RiskTier>(value(Tier)),
            Cause = Named<UnmatchedCause>(value(Cause)),
            Source = options.Sources.FirstOrDefault(s => string.Equals(s.Code, value(Source), StringComparison.OrdinalIgnoreCase))?.Id,
            Lender = options.Lenders.FirstOrDefault(l => string.Equals(l.Code, value(Lender), StringComparison.OrdinalIgnoreCase))?.Id,
            From = from,
            To = to,
        };
    }

    /// <summary>
    /// Every parameter of <paramref name="filter"/>, null for those it leaves open, as
    /// <see cref="Microsoft.AspNetCore.Components.NavigationManager.GetUriWithQueryParameters(IReadOnlyDictionary{string, object?})"/>
    /// takes them: a null removes the parameter from the address.
    /// </summary>
    public static Dictionary<string, object?> Parameters(ApplicationFilter filter, ApplicationFilterOptions options) => new()
    {
        [Status] = filter.Status?.ToString(),
        [Tier] = filter.Tier?.ToString(),
        [Cause] = filter.Cause?.ToString(),
        [Source] = options.Sources.FirstOrDefault(s => s.Id == filter.Source)?.Code,
        [Lender] = options.Lenders.FirstOrDefault(l => l.Id == filter.Lender)?.Code,
        [From] = filter.From?.ToString(DayFormat, CultureInfo.InvariantCulture),
        [To] = filter.To?.ToString(DayFormat, CultureInfo.InvariantCulture),
    };

    /// <summary>The relative address of <paramref name="path"/> with <paramref name="filter"/>'s parameters.</summary>
    public static string Url(string path, ApplicationFilter filter, ApplicationFilterOptions options) =>
        QueryHelpers.AddQueryString(path, Parameters(filter, options).Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));

    /// <summary>Only names: "3" or "Routed, Unmatched" would pass <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/>.</summary>
    private static T? Named<T>(string? name) where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } known ? Enum.Parse<T>(known) : null;

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
