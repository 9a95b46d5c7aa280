using System.Security.Cryptography;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Data.Seeding;

/// <summary>Creates the four roles and, on a store without users, the first admin.</summary>
internal sealed class IdentitySeeder(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IUserStore<ApplicationUser> store,
    IOptions<SeedOptions> options,
    ILogger<IdentitySeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
        }

        if (users.Users.Any()) return;

        var email = options.Value.AdminEmail;
        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "管理员" };
        // A password that went through a log is no longer a secret: the admin must choose their own at first sign-in.
        if (string.IsNullOrEmpty(configured)) admin.RequirePasswordChange();
        Check(await users.CreateAsync(admin, password), $"create the admin {email}");
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "make the first user an admin");
        if (options.Value.AdminTotpSecret is { Length: > 0 } secret) await EnrolAuthenticatorAsync(admin, secret, cancellationToken);

        if (string.IsNullOrEmpty(configured))
        {
            // Shown once, on the start that created the account; it is not stored anywhere in clear.
            logger.LogWarning("Created admin {Email} with generated password {Password} — sign in and change it.", email, password);
        }
        else
        {
            logger.LogInformation("Created admin {Email} with the configured password.", email);
        }
    }

    private async Task EnrolAuthenticatorAsync(ApplicationUser admin, string secret, CancellationToken cancellationToken)
    {
        var key = secret.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        if (key.Length < 16 || key.Any(c => c is not (>= 'A' and <= 'Z' or >= '2' and <= '7')))
            throw new InvalidOperationException($"{SeedOptions.Section}:AdminTotpSecret must be a base32 key (A-Z, 2-7) of at least 16 characters.");
        var keys = (IUserAuthenticatorKeyStore<ApplicationUser>)store;
        await keys.SetAuthenticatorKeyAsync(admin, key, cancellationToken);
        Check(await users.SetTwoFactorEnabledAsync(admin, true), "enrol the admin's authenticator");
        logger.LogInformation("Enrolled the configured authenticator key for admin {Email}.", admin.Email);
    }

    internal static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789";
        var all = lower + upper + digits;
        Span<char> chars = stackalloc char[16];
        for (var i = 0; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        return new string(chars);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
