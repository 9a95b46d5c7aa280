using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Features.Account;

/// <summary>
/// What a signed-in user must do before the console opens to them: an admin or compliance reviewer without a second
/// factor enrols an authenticator first (when <see cref="AccountSecurityOptions.RequireTwoFactor"/> is on), then a
/// user whose password the system generated replaces it. Until then every console request is sent to that step.
/// </summary>
internal sealed class SignInRequirements(IOptions<AccountSecurityOptions> options) : IMiddleware
{
    public const string EnrolPath = "/Account/EnableAuthenticator";
    public const string ChangePasswordPath = "/Account/ChangePassword";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // The account pages are where the steps are done; anonymous endpoints (assets, health, the key-authenticated APIs) are no console.
        if (context.User.Identity?.IsAuthenticated != true
            || context.Request.Path.StartsWithSegments("/Account", StringComparison.OrdinalIgnoreCase)
            || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || NextStep(context.User) is not { } step)
        {
            return next(context);
        }
        context.Response.Redirect(step);
        return Task.CompletedTask;
    }

    /// <summary>The page the user must go through before anything else, or null when there is none.</summary>
    public string? NextStep(ClaimsPrincipal user)
    {
        if (MustEnrolSecondFactor(user)) return EnrolPath;
        if (user.HasClaim(c => c.Type == LoanHubClaimsPrincipalFactory.MustChangePasswordClaim)) return ChangePasswordPath;
        return null;
    }

    public bool MustEnrolSecondFactor(ClaimsPrincipal user) =>
        options.Value.RequireTwoFactor
        && AccountSecurityOptions.TwoFactorRoles.Any(user.IsInRole)
        && !SessionLifetime.SignedInWithSecondFactor(user);
}
