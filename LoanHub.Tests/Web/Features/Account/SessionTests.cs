using System.Net;
using System.Security.Claims;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Account;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>A host whose sessions are checked against the store every 1.2 seconds instead of every 5 minutes.</summary>
public sealed class QuickRevalidationHost : LoanHubHost
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1.2);

    public QuickRevalidationHost() => Settings["LoanHub:Security:RevalidationMinutes"] = "0.02";
}

/// <summary>How long a session lives, and how a revoked one ends, in the cookie and in an open console tab.</summary>
public class SessionTests(QuickRevalidationHost host) : IClassFixture<QuickRevalidationHost>
{
    private const string Password = "Session tests 2026";
    // Light, signed-in only, and outside the console: answers 200 while the session lives, sends to sign-in after.
    private const string SignedInPage = "/Account/ChangePassword";

    [Fact]
    public void Sessions_are_configured_for_thirty_idle_minutes_and_twelve_hours_at_most()
    {
        var cookie = host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);

        Assert.Equal(TimeSpan.FromMinutes(30), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
        Assert.Equal(TimeSpan.FromHours(12), SessionLifetime.Absolute);
        Assert.Equal(QuickRevalidationHost.Interval, host.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval);
    }

    [Fact]
    public async Task A_session_ends_after_thirty_minutes_without_a_request()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var timed = new LoanHubHost { Clock = clock };
        var client = await SignedInAdminAsync(timed);

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Null(await client.RedirectOfAsync(SignedInPage)); // a request within the half hour slides the expiry on
        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Null(await client.RedirectOfAsync(SignedInPage));
        clock.Advance(TimeSpan.FromMinutes(31));

        Assert.StartsWith("/Account/Login", SignInPath(await client.RedirectOfAsync(SignedInPage)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_session_still_ends_twelve_hours_after_sign_in()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var timed = new LoanHubHost { Clock = clock };
        var client = await SignedInAdminAsync(timed);

        for (var at = TimeSpan.FromMinutes(20); at < TimeSpan.FromHours(12); at += TimeSpan.FromMinutes(20))
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Null(await client.RedirectOfAsync(SignedInPage));
        }
        clock.Advance(TimeSpan.FromMinutes(20)); // twelve hours since sign-in, twenty minutes since the last request

        Assert.StartsWith("/Account/Login", SignInPath(await client.RedirectOfAsync(SignedInPage)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_security_stamp_signs_the_cookie_out_within_the_revalidation_interval()
    {
        var (email, client) = await AccountClient.SignedInAsNewUserAsync(host, Roles.Analyst, Password);
        await Task.Delay(QuickRevalidationHost.Interval * 2);
        Assert.Null(await client.RedirectOfAsync(SignedInPage)); // a check with the stamp unchanged keeps the session

        await RevokeAsync(email);
        await Task.Delay(QuickRevalidationHost.Interval * 2);

        Assert.StartsWith("/Account/Login", SignInPath(await client.RedirectOfAsync(SignedInPage)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_security_stamp_ends_an_open_console_tab_within_the_revalidation_interval()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        await using var scope = host.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByEmailAsync(email))!);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionLifetime.SignedInAtClaim, DateTimeOffset.UtcNow.ToString("O")));
        // The circuit's own provider, given the user the circuit started with, as Blazor does.
        var tab = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var ended = new TaskCompletionSource<AuthenticationState>();
        tab.AuthenticationStateChanged += state => _ = state.ContinueWith(
            t => { if (t.Result.User.Identity?.IsAuthenticated != true) ended.TrySetResult(t.Result); }, TaskScheduler.Default);
        ((IHostEnvironmentAuthenticationStateProvider)tab).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        await Task.Delay(QuickRevalidationHost.Interval * 3);
        Assert.False(ended.Task.IsCompleted, "the tab ended with its stamp unchanged");
        await RevokeAsync(email);

        var state = await ended.Task.WaitAsync(QuickRevalidationHost.Interval * 4);
        Assert.False(state.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task Signing_out_needs_the_antiforgery_token_and_ends_the_users_other_sessions()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        var here = AccountClient.For(host);
        var elsewhere = AccountClient.For(host);
        await here.SignedInAsync(email, Password);
        await elsewhere.SignedInAsync(email, Password);

        var forged = await here.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await here.RedirectOfAsync(SignedInPage));

        // Any of the console's forms carries the token; the sign-out form posts it to the logout endpoint.
        var page = await here.Http.GetStringAsync(SignedInPage);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"(?<t>[^\"]+)\"").Groups["t"].Value;
        var signedOut = await here.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/Account/Login", SignInPath(await here.RedirectOfAsync(SignedInPage)), StringComparison.Ordinal);
        await Task.Delay(QuickRevalidationHost.Interval * 2);
        Assert.StartsWith("/Account/Login", SignInPath(await elsewhere.RedirectOfAsync(SignedInPage)), StringComparison.Ordinal);
    }

    private static async Task<AccountClient> SignedInAdminAsync(LoanHubHost on)
    {
        var client = AccountClient.For(on);
        await client.SignedInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        return client;
    }

    private async Task RevokeAsync(string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(email))!);
    }

    private static string SignInPath(string? location) =>
        new Uri(new Uri("https://localhost"), location ?? throw new InvalidOperationException("The page answered; the session is still open.")).AbsolutePath;
}
