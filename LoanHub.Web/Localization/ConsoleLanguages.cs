using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;

namespace LoanHub.Web.Localization;

/// <summary>
/// The console's two languages and how a request's is chosen: the signed-in user's saved choice, else the one this
/// browser last picked (a cookie, so the sign-in page follows it too), else the browser's <c>Accept-Language</c>, else
/// Simplified Chinese. Numbers, money and dates are written the same way in both (see <see cref="ConsoleFormat"/>);
/// the culture changes words, not figures.
/// </summary>
public static class ConsoleLanguages
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>The claim that carries the user's saved language, so a request learns it without a query.</summary>
    public const string Claim = "loanhub:language";

    public static string CookieName => CookieRequestCultureProvider.DefaultCookieName;

    public static IReadOnlyList<string> All { get; } = [Chinese, English];

    /// <summary>The supported language a tag names (<c>zh-CN</c>, <c>en</c>, <c>en-US</c>…), or null.</summary>
    public static string? Supported(string? tag) => tag switch
    {
        null or "" => null,
        _ when string.Equals(tag, Chinese, StringComparison.OrdinalIgnoreCase) => Chinese,
        _ when string.Equals(tag, English, StringComparison.OrdinalIgnoreCase)
            || tag.StartsWith(English + "-", StringComparison.OrdinalIgnoreCase) => English,
        _ => null,
    };

    /// <summary>The current request's or circuit's language.</summary>
    public static string Current => Supported(CultureInfo.CurrentUICulture.Name) ?? Chinese;

    public static IServiceCollection AddLoanHubLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            CultureInfo[] cultures = [.. All.Select(CultureInfo.GetCultureInfo)];
            options.DefaultRequestCulture = new RequestCulture(Chinese);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.ApplyCurrentCultureToResponseHeaders = true;
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(http => Task.FromResult(
                    Supported(http.User.FindFirstValue(Claim)) is { } saved ? new ProviderCultureResult(saved) : null)),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>Remembers <paramref name="language"/> in this browser, for pages seen before signing in.</summary>
    public static void Remember(HttpResponse response, string language) =>
        response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)), new CookieOptions
        {
            MaxAge = TimeSpan.FromDays(365),
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            // As the sign-in cookie: browsers keep secure cookies for http://localhost, and elsewhere the console is on HTTPS.
            Secure = true,
        });
}
