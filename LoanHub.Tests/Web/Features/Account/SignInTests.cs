using System.Net;
using LoanHub.Web.Features.Account;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>The password step over real HTTP: lockout, the cookie it sets, and what the audit log keeps of failures.</summary>
public class SignInTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    private const string Password = "Sign-in tests 2026";

    [Fact]
    public async Task The_fifth_failed_sign_in_locks_the_account_even_against_the_right_password()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        var client = AccountClient.For(host);
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(email, "not the password at all")).StatusCode);

        var fifth = await client.SignInAsync(email, "not the password at all");
        var right = await client.SignInAsync(email, Password);

        Assert.All([fifth, right], response =>
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.EndsWith("/Account/Lockout", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_sign_in_with_a_forged_antiforgery_token_is_refused_as_bad_input_not_a_server_error()
    {
        var client = AccountClient.For(host);

        var response = await client.PostFormAsync("/Account/Login",
            new() { ["Input.Email"] = "someone@test.local", ["Input.Password"] = Password, ["__RequestVerificationToken"] = "forged" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Four_failed_sign_ins_do_not_lock_the_account()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);
        var client = AccountClient.For(host);
        for (var i = 0; i < 4; i++) await client.SignInAsync(email, "not the password at all");

        await client.SignedInAsync(email, Password);
    }

    [Fact]
    public async Task The_sign_in_cookie_is_same_site_strict_http_only_and_secure()
    {
        var email = await AccountClient.NewUserAsync(host, Roles.Analyst, Password);

        var response = await AccountClient.For(host).SignInAsync(email, Password);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("LoanHub.Auth=", StringComparison.Ordinal));
        var attributes = cookie.Split(';').Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
    }

    [Fact]
    public async Task A_failed_sign_in_is_in_the_audit_log_with_the_account_tried()
    {
        var email = $"nobody-{Guid.NewGuid():N}@test.local";

        await AccountClient.For(host).SignInAsync(email, "a wrong password");

        await using var db = host.CreateDbContext();
        var entry = await db.Audit.SingleAsync(a => a.EntityId == email);
        Assert.Equal((AccountAudit.Area, AccountAudit.SignInFailed, email), (entry.Area, entry.Action, entry.Actor));
        Assert.Contains("Wrong email or password", entry.After);
    }

    [Fact]
    public async Task A_page_outside_the_users_role_is_refused_and_the_refusal_audited()
    {
        var (email, client) = await AccountClient.SignedInAsNewUserAsync(host, Roles.Analyst, Password);

        var redirect = await client.RedirectOfAsync("/admin/users");

        Assert.StartsWith("/Account/AccessDenied", new Uri(new Uri("https://localhost"), redirect).AbsolutePath, StringComparison.Ordinal);
        await using var db = host.CreateDbContext();
        var entry = await db.Audit.SingleAsync(a => a.Actor == email && a.Action == AccountAudit.AccessDenied);
        Assert.Equal(("/admin/users", AccountAudit.Area), (entry.EntityId, entry.Area));
    }
}
