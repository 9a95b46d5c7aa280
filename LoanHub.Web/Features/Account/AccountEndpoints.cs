using System.Security.Claims;
using LoanHub.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace LoanHub.Web.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Taking the form makes the endpoint validate its antiforgery token: a page elsewhere cannot sign a user out.
        endpoints.MapPost("/Account/Logout", async (ClaimsPrincipal principal, IFormCollection form,
            [FromServices] SignInManager<ApplicationUser> signInManager) =>
        {
            // A new security stamp signs the user out everywhere: other devices and open tabs end at their next check.
            if (await signInManager.UserManager.GetUserAsync(principal) is { } user)
                await signInManager.UserManager.UpdateSecurityStampAsync(user);
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });
        return endpoints;
    }
}
