using LoanHub.Web.Features.Account;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoanHub.Tests.Web.Security;

/// <summary>
/// The sign-in settings as the app configures them, read back from its services: each is a rule an attacker would
/// like loosened (an account never locked, a cookie readable from script or sent cross-site, a second e-mail for one
/// person), so each is pinned here rather than left to the defaults of the day. Each test starts a host of its own, so
/// the settings are made while it runs (mutation testing changes the code between tests of one process).
/// </summary>
public class SecurityOptionsTests
{
    [Fact]
    public void Accounts_are_unique_per_email_locked_from_creation_and_need_no_e_mail_confirmation()
    {
        using var host = new LoanHubHost();
        var identity = host.Services.GetRequiredService<IOptions<IdentityOptions>>().Value;

        Assert.True(identity.User.RequireUniqueEmail);
        Assert.True(identity.Lockout.AllowedForNewUsers);
        Assert.Equal((5, TimeSpan.FromMinutes(15)), (identity.Lockout.MaxFailedAccessAttempts, identity.Lockout.DefaultLockoutTimeSpan));
        Assert.False(identity.SignIn.RequireConfirmedAccount); // the console mails nobody: an admin creates each account
        Assert.Equal((12, false, false, false, false, 1), (identity.Password.RequiredLength, identity.Password.RequireDigit,
            identity.Password.RequireLowercase, identity.Password.RequireUppercase, identity.Password.RequireNonAlphanumeric, identity.Password.RequiredUniqueChars));
    }

    [Fact]
    public void The_session_cookie_is_script_proof_same_site_and_secure_with_the_consoles_own_pages()
    {
        using var host = new LoanHubHost();
        var cookie = host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);

        Assert.Equal(("LoanHub.Auth", true, SameSiteMode.Strict, CookieSecurePolicy.Always),
            (cookie.Cookie.Name, cookie.Cookie.HttpOnly, cookie.Cookie.SameSite, cookie.Cookie.SecurePolicy));
        Assert.Equal(("/Account/Login", "/Account/AccessDenied"), (cookie.LoginPath.Value, cookie.AccessDeniedPath.Value));
    }

    [Fact]
    public void The_cookie_between_password_and_authenticator_code_is_same_site_and_secure_too()
    {
        using var host = new LoanHubHost();
        var cookie = host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.TwoFactorUserIdScheme);

        Assert.Equal((SameSiteMode.Strict, CookieSecurePolicy.Always), (cookie.Cookie.SameSite, cookie.Cookie.SecurePolicy));
    }

    [Fact]
    public void Open_console_tabs_revalidate_their_user_against_the_store()
    {
        using var host = new LoanHubHost();
        using var scope = host.Services.CreateScope();

        Assert.IsType<IdentityRevalidatingAuthenticationStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
    }
}
