using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace LoanHub.Web.Features.Account;

/// <summary>
/// A console session ends after 30 minutes without a request (the cookie's sliding expiry) and, however busy,
/// 12 hours after the sign-in (OWASP ASVS 4.0 3.3.1 and 3.3.2). The sign-in instant travels in the principal, so
/// an open Blazor circuit, which never sees the cookie again, can end itself too.
/// </summary>
public static class SessionLifetime
{
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Absolute = TimeSpan.FromHours(12);

    public const string SignedInAtClaim = "loanhub:signed_in_at";

    /// <summary>The second factor's mark that Identity puts on a two-step sign-in.</summary>
    public const string AuthenticationMethodClaim = "amr";
    public const string TwoFactorMethod = "mfa";

    // The same instant in the cookie's properties, which survive a RefreshSignInAsync that rebuilds the principal.
    private const string SignedInAtItem = ".loanhub.signed_in_at";

    public static DateTimeOffset? SignedInAt(ClaimsPrincipal principal) =>
        DateTimeOffset.TryParse(principal.FindFirstValue(SignedInAtClaim), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    /// <summary>A principal without the sign-in instant (a cookie from before it was kept) counts as expired.</summary>
    public static bool HasExpired(ClaimsPrincipal principal, DateTimeOffset now) => SignedInAt(principal) is not { } at || now - at >= Absolute;

    public static bool SignedInWithSecondFactor(ClaimsPrincipal principal) => principal.HasClaim(AuthenticationMethodClaim, TwoFactorMethod);

    public static void Configure(CookieAuthenticationOptions cookie)
    {
        cookie.ExpireTimeSpan = Idle;
        cookie.SlidingExpiration = true;
        cookie.Events.OnSigningIn = StampSignIn;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            if (context.Principal is null || HasExpired(context.Principal, Now(context.Options)))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await SecurityStampValidator.ValidatePrincipalAsync(context);
        };
    }

    /// <summary>The security stamp check rebuilds the principal from the store; these claims are the session's, not the user's.</summary>
    public static Task KeepSessionClaims(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.NewPrincipal?.Identity is ClaimsIdentity identity && context.CurrentPrincipal is { } current)
        {
            foreach (var type in (string[])[SignedInAtClaim, AuthenticationMethodClaim])
            {
                if (current.FindFirst(type) is { } claim && !identity.HasClaim(c => c.Type == type)) identity.AddClaim(new Claim(type, claim.Value));
            }
        }
        return Task.CompletedTask;
    }

    private static Task StampSignIn(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.HasClaim(c => c.Type == SignedInAtClaim)) return Task.CompletedTask;
        var at = context.Properties.Items.TryGetValue(SignedInAtItem, out var kept) && kept is not null
            ? kept
            : Now(context.Options).ToString("O", CultureInfo.InvariantCulture);
        context.Properties.Items[SignedInAtItem] = at;
        identity.AddClaim(new Claim(SignedInAtClaim, at));
        return Task.CompletedTask;
    }

    private static DateTimeOffset Now(CookieAuthenticationOptions options) => (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
}
