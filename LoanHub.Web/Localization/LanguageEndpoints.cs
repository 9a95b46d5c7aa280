using System.Security.Claims;
using LoanHub.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace LoanHub.Web.Localization;

public static class LanguageEndpoints
{
    /// <summary>
    /// <c>POST /Account/Language</c> with <c>language</c> and <c>returnUrl</c>: the app bar's language switch. Remembered in
    /// this browser and, for a signed-in user, on the user, whose sign-in is renewed so every request and new tab follows.
    /// </summary>
    public static IEndpointRouteBuilder MapLanguageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Taking the form makes the endpoint check its antiforgery token: a page elsewhere cannot switch it.
        endpoints.MapPost("/Account/Language", async (HttpContext http, ClaimsPrincipal principal, IFormCollection form,
            [FromServices] SignInManager<ApplicationUser> signIn) =>
        {
            if (ConsoleLanguages.Supported(form["language"]) is not { } language)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown language",
                    detail: $"language must be one of {string.Join(", ", ConsoleLanguages.All)}.");
            ConsoleLanguages.Remember(http.Response, language);
            if (principal.Identity?.IsAuthenticated == true && await signIn.UserManager.GetUserAsync(principal) is { } user
                && user.PreferredLanguage != language)
            {
                user.PreferredLanguage = language;
                await signIn.UserManager.UpdateAsync(user);
                await signIn.RefreshSignInAsync(user);
            }
            var back = form["returnUrl"].ToString();
            return Results.LocalRedirect(IsLocal(back) ? back : "~/");
        }).AllowAnonymous();
        return endpoints;
    }

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
