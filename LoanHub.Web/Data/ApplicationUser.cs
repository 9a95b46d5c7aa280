using Microsoft.AspNetCore.Identity;

namespace LoanHub.Web.Data;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
