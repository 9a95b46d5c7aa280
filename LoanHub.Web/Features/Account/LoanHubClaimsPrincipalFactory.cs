using System.Security.Claims;
using LoanHub.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Features.Account;

/// <summary>Identity's claims, plus a mark on a user who must replace a generated password and the language they picked, so each request can see it without a query.</summary>
internal sealed class LoanHubClaimsPrincipalFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    public const string MustChangePasswordClaim = "loanhub:must_change_password";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword) identity.AddClaim(new Claim(MustChangePasswordClaim, "true"));
        if (user.PreferredLanguage is { } language) identity.AddClaim(new Claim(Localization.ConsoleLanguages.Claim, language));
        return identity;
    }
}
