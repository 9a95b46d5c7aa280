using System.Security.Claims;

namespace LoanHub.Tests.Web;

internal static class TestUsers
{
    /// <summary>A signed-in user with one role, as services that check policies see it.</summary>
    public static ClaimsPrincipal Principal(string email, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Role, role)], "test"));

    /// <summary>The seeded admin, as the user service sees the console's admin acting.</summary>
    public static ClaimsPrincipal Admin => Principal(LoanHubHost.AdminEmail, LoanHub.Web.Security.Roles.Admin);
}
