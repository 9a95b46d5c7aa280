using System.Collections.Frozen;
using LoanHub.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Account;

/// <summary>
/// Refuses a password found on the list of common passwords shipped with the app (<c>common-passwords.txt</c>, whose
/// header says where it comes from), compared without regard to case. With the 12-character minimum this is the
/// whole password policy: no composition rules (NIST SP 800-63B, OWASP ASVS 4.0 2.1.7 and 2.1.9).
/// </summary>
public sealed class CommonPasswordValidator(IStringLocalizer<AccountStrings> text) : IPasswordValidator<ApplicationUser>
{
    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    public static bool IsCommon(string password) => List.Value.Contains(password.Trim());

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = text["This password is too common; choose another."] })
            : IdentityResult.Success);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("LoanHub.Web.Features.Account.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded in LoanHub.Web.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }

    /// <summary>The list's passwords: one a line, without the header's comment lines and blank lines.</summary>
    internal static FrozenSet<string> Parse(TextReader reader)
    {
        var passwords = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#')) passwords.Add(line);
        }
        return passwords.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
