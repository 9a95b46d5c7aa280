using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LoanHub.Tests.Web.Localization;

/// <summary>The console's resources as the app reads them, for code that words things outside a component (a timeline).</summary>
internal static class Localizers
{
    private static readonly ResourceManagerStringLocalizerFactory Factory =
        new(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);

    /// <summary>Words in the current UI culture at each lookup, as in a circuit.</summary>
    public static IStringLocalizer<T> For<T>() => new StringLocalizer<T>(Factory);

    /// <summary>What <paramref name="read"/> returns with the UI culture set to <paramref name="culture"/>, as a circuit in that language reads it.</summary>
    public static TResult InCulture<TResult>(string culture, Func<TResult> read)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(culture);
        try { return read(); }
        finally { System.Globalization.CultureInfo.CurrentUICulture = before; }
    }
}
