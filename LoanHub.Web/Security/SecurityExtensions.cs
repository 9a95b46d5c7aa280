using LoanHub.Web.Data;
using LoanHub.Web.Features.Account;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Security;

public static class SecurityExtensions
{
    /// <summary>Identity on the EF Core store, cookie sign-in, and the role policies; everything not marked anonymous needs a signed-in user.</summary>
    public static IServiceCollection AddLoanHubSecurity(this IServiceCollection services)
    {
        services.AddOptions<AccountSecurityOptions>().BindConfiguration(AccountSecurityOptions.Section);
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddSingleton<AccountAudit>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResultHandler>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInRequirements>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                // Length and the common-password list, no composition rules (OWASP ASVS 4.0 2.1.1, 2.1.7, 2.1.9).
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddClaimsPrincipalFactory<LoanHubClaimsPrincipalFactory>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddEntityFrameworkStores<LoanHubDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // The cookie is checked against the store as often as an open console tab is: a lock, a role change or a
        // sign-out elsewhere (each renews the security stamp) ends the session within that interval.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<AccountSecurityOptions>>((stamp, security) =>
        {
            stamp.ValidationInterval = security.Value.RevalidationInterval;
            stamp.OnRefreshingPrincipal = SessionLifetime.KeepSessionClaims;
        });

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.AccessDeniedPath = "/Account/AccessDenied";
            cookie.Cookie.Name = "LoanHub.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            // Secure even on plain HTTP: browsers accept and send secure cookies to http://localhost
            // (a secure context), and anywhere else the console must sit behind HTTPS anyway.
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            SessionLifetime.Configure(cookie);
        });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, cookie =>
        {
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });

        services.AddAuthorization(AddPolicies);
        return services;
    }

    /// <summary>Sign-in attempts limited per address and account, then the steps a user owes before the console (second factor, own password).</summary>
    public static WebApplication UseLoanHubSignIn(this WebApplication app)
    {
        app.UseMiddleware<SignInThrottle>();
        app.UseMiddleware<SignInRequirements>();
        return app;
    }

    /// <summary>Deny by default: a page or endpoint not marked anonymous needs a signed-in user; the role policies on top.</summary>
    public static void AddPolicies(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        foreach (var (policy, roles) in Policies.RolesByPolicy)
        {
            options.AddPolicy(policy, p => p.RequireRole(roles));
        }
    }
}
