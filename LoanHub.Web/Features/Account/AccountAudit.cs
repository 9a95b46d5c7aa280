using System.Security.Claims;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Account;

/// <summary>Failed sign-ins and refused pages in the audit log (OWASP ASVS 4.0 7.2.1, 7.2.2), under the Users area.</summary>
public sealed class AccountAudit(IDbContextFactory<LoanHubDbContext> dbs, TimeProvider clock)
{
    public const string Area = "Users";
    public const string SignInFailed = "Sign-in failed";
    public const string AccessDenied = "Access denied";

    public Task SignInFailedAsync(string account, string reason, HttpContext http) =>
        RecordAsync(account, SignInFailed, "User", account, new { Reason = reason, Address = http.Connection.RemoteIpAddress?.ToString() });

    public Task AccessDeniedAsync(ClaimsPrincipal user, string path) =>
        RecordAsync(user.Identity?.Name ?? "anonymous", AccessDenied, "Page", path,
            new { Roles = user.FindAll(ClaimTypes.Role).Select(r => r.Value).Order().ToList() });

    private async Task RecordAsync(string actor, string action, string entityType, string entityId, object details)
    {
        await using var db = await dbs.CreateDbContextAsync();
        new AuditTrail(db, Fit(actor, 256), clock.GetUtcNow()).Record(Area, action, entityType, Fit(entityId, 64), after: details);
        await db.SaveChangesAsync();
    }

    // Whatever a stranger types as an email must still fit the column.
    private static string Fit(string value, int length) => value.Length <= length ? value : value[..length];
}
