using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace LoanHub.Web.Data;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The console language the user picked (<c>zh-CN</c> or <c>en</c>); null until they pick one.</summary>
    [MaxLength(10)]
    public string? PreferredLanguage { get; set; }

    /// <summary>
    /// The password was made by the system, not chosen by the person (the generated first admin's): the console lets
    /// them do nothing else until they have replaced it.
    /// </summary>
    public bool MustChangePassword { get; private set; }

    public void RequirePasswordChange() => MustChangePassword = true;

    public void PasswordChosen() => MustChangePassword = false;
}
