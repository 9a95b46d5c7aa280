using System.Net;
using System.Text.RegularExpressions;
using LoanHub.Web.Features.Account;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Tests.Web.Features.Account;

/// <summary>The application as installed outside Development: a second factor required of admins and compliance reviewers.</summary>
public sealed class TwoFactorHost : LoanHubHost
{
    public const string AdminTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    public TwoFactorHost()
    {
        Settings["LoanHub:Security:RequireTwoFactor"] = "true";
        Settings["LoanHub:Seed:AdminTotpSecret"] = AdminTotpSecret;
    }
}

public partial class TwoFactorTests(TwoFactorHost host) : IClassFixture<TwoFactorHost>
{
    private const string Password = "Two factor tests 2026";

    [Fact]
    public async Task The_seeded_admin_signs_in_with_a_code_from_the_configured_key()
    {
        var client = AccountClient.For(host);

        var first = await client.SignInAsync(LoanHubHost.AdminEmail, LoanHubHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/Account/LoginWith2fa", new Uri(new Uri("https://localhost"), first.Headers.Location!).AbsolutePath);
        Assert.NotNull(await client.RedirectOfAsync("/")); // the password alone opens nothing

        var second = await client.PostFormAsync("/Account/LoginWith2fa", new() { ["Input.Code"] = Totp.Code(TwoFactorHost.AdminTotpSecret) });

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Null(await client.RedirectOfAsync("/"));
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_audited()
    {
        var email = await EnrolledUserAsync(Roles.ComplianceReviewer);
        var client = AccountClient.For(host);
        await client.SignInAsync(email, Password);

        var wrong = Totp.Code(secrets[email]) == "000000" ? "111111" : "000000";
        var response = await client.PostFormAsync("/Account/LoginWith2fa", new() { ["Input.Code"] = wrong });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That code is not right", await response.Content.ReadAsStringAsync());
        await using var db = host.CreateDbContext();
        Assert.Contains(await db.Audit.Where(a => a.EntityId == email).ToListAsync(), a => a.Action == AccountAudit.SignInFailed);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.ComplianceReviewer)]
    public async Task A_user_whose_role_needs_two_factor_is_taken_to_enrolment_before_anything_else(string role)
    {
        var (_, client) = await AccountClient.SignedInAsNewUserAsync(host, role, Password);

        Assert.Equal(SignInRequirements.EnrolPath, await client.RedirectOfAsync("/"));
        Assert.Equal(SignInRequirements.EnrolPath, await client.RedirectOfAsync("/applications"));

        var codes = await EnrolAsync(client);

        Assert.Equal(10, codes.Count);
        Assert.Null(await client.RedirectOfAsync("/"));
    }

    [Fact]
    public async Task An_analyst_is_not_asked_for_a_second_factor()
    {
        var (_, client) = await AccountClient.SignedInAsNewUserAsync(host, Roles.Analyst, Password);

        Assert.Null(await client.RedirectOfAsync("/"));
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var (email, enrolling) = await AccountClient.SignedInAsNewUserAsync(host, Roles.Admin, Password);
        var recovery = (await EnrolAsync(enrolling))[0];

        var client = AccountClient.For(host);
        await client.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/Account/LoginWith2fa", new() { ["Input.Code"] = recovery })).StatusCode);
        Assert.Null(await client.RedirectOfAsync("/"));

        var again = AccountClient.For(host);
        await again.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await again.PostFormAsync("/Account/LoginWith2fa", new() { ["Input.Code"] = recovery })).StatusCode);
    }

    private readonly Dictionary<string, string> secrets = [];

    private async Task<string> EnrolledUserAsync(string role)
    {
        var (email, client) = await AccountClient.SignedInAsNewUserAsync(host, role, Password);
        await EnrolAsync(client, email);
        return email;
    }

    /// <summary>Reads the key off the enrolment page, answers with its current code, and returns the recovery codes shown.</summary>
    private async Task<IReadOnlyList<string>> EnrolAsync(AccountClient client, string? email = null)
    {
        var page = await client.Http.GetStringAsync(SignInRequirements.EnrolPath);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        var key = SharedKey().Match(page).Groups["key"].Value.Replace(" ", "", StringComparison.Ordinal);
        if (email is not null) secrets[email] = key;

        var response = await client.PostFormAsync(SignInRequirements.EnrolPath, new() { ["Input.Code"] = Totp.Code(key) });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Two-factor sign-in is on", html, StringComparison.Ordinal);
        return RecoveryCode().Matches(html).Select(m => m.Groups["code"].Value).ToList();
    }

    [GeneratedRegex("data-testid=\"shared-key\">(?<key>[a-z2-7 ]+)<")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<li><code>(?<code>[^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
