using LoanHub.Web.Security;

namespace LoanHub.Web.Features.Account;

/// <summary>Sign-in and session settings (<c>LoanHub:Security</c>).</summary>
public sealed class AccountSecurityOptions
{
    public const string Section = "LoanHub:Security";

    /// <summary>
    /// Admins and compliance reviewers must sign in with an authenticator code. On by default; the Development
    /// settings turn it off so the demo's first run can sign in with the seeded password alone.
    /// </summary>
    public bool RequireTwoFactor { get; set; } = true;

    /// <summary>How often an open console tab and the sign-in cookie are checked against the user's security stamp.</summary>
    public double RevalidationMinutes { get; set; } = 5;

    /// <summary>Sign-in attempts (password or second step) allowed per client address and minute.</summary>
    public int SignInAttemptsPerMinutePerAddress { get; set; } = 30;

    /// <summary>Sign-in attempts allowed per account and minute, whatever the address.</summary>
    public int SignInAttemptsPerMinutePerAccount { get; set; } = 10;

    public TimeSpan RevalidationInterval => TimeSpan.FromMinutes(RevalidationMinutes);

    /// <summary>The roles whose members may not use the console without a second factor, when it is required.</summary>
    public static IReadOnlyList<string> TwoFactorRoles { get; } = [Roles.Admin, Roles.ComplianceReviewer];
}
