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
}
