using System.Security.Claims;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Users;

public sealed record UserRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool IsLockedOut, DateTimeOffset? LockoutEnd);

public sealed record NewUser(string Email, string DisplayName, string Password, IReadOnlyList<string> Roles);

/// <summary>The outcome of a user change: success, or the messages to show next to the form.</summary>
public sealed record UserResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static UserResult Ok { get; } = new(true, []);
    public static UserResult Fail(params string[] errors) => new(false, errors);
    public static UserResult Forbidden { get; } = Fail("Only admins can manage users.");
}

/// <summary>
/// Admin operations on console users. Each change checks <see cref="Policies.Users"/> against the principal it is
/// given (the page's current one, not the one it opened with). Each operation runs in its own DI scope, so its
/// UserManager and DbContext live only as long as the operation, never for the whole circuit.
/// </summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, IAuthorizationService authorization, TimeProvider clock)
{
    private async Task<bool> MayManageAsync(ClaimsPrincipal actor) =>
        !string.IsNullOrEmpty(actor.Identity?.Name) && (await authorization.AuthorizeAsync(actor, Policies.Users)).Succeeded;

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LoanHubDbContext>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name!, cancellationToken);
        var userRoles = await db.UserRoles.AsNoTracking().ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return users.Select(u => new UserRow(
                u.Id, u.Email ?? u.UserName ?? "", u.DisplayName,
                userRoles.Where(r => r.UserId == u.Id).Select(r => roleNames[r.RoleId]).Order().ToList(),
                u.LockoutEnd > now, u.LockoutEnd))
            .ToList();
    }

    public async Task<UserResult> CreateAsync(ClaimsPrincipal actor, NewUser input)
    {
        if (!await MayManageAsync(actor)) return UserResult.Forbidden;
        var unknown = input.Roles.Except(Roles.All).ToList();
        if (unknown.Count > 0) return UserResult.Fail($"Unknown role {string.Join(", ", unknown)}.");
        if (input.Roles.Count == 0) return UserResult.Fail("Choose at least one role.");

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var created = new ApplicationUser
        {
            UserName = input.Email.Trim(),
            Email = input.Email.Trim(),
            EmailConfirmed = true,
            DisplayName = input.DisplayName.Trim(),
        };
        var stored = await users.CreateAsync(created, input.Password);
        if (!stored.Succeeded) return Failed(stored);
        var roles = await users.AddToRolesAsync(created, input.Roles);
        if (!roles.Succeeded)
        {
            await users.DeleteAsync(created);
            return Failed(roles);
        }
        await AuditAsync(scope, actor, "User created", created.Email!, null, new { created.Email, created.DisplayName, Roles = input.Roles });
        return UserResult.Ok;
    }

    public async Task<UserResult> SetRolesAsync(ClaimsPrincipal actor, string userId, IReadOnlyList<string> roles)
    {
        if (!await MayManageAsync(actor)) return UserResult.Forbidden;
        if (roles.Except(Roles.All).Any()) return UserResult.Fail("Unknown role.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return UserResult.Fail("The user no longer exists.");
        var current = (await users.GetRolesAsync(user)).Order().ToList();
        if (string.Equals(user.Email, actor.Identity!.Name, StringComparison.OrdinalIgnoreCase) && current.Contains(Roles.Admin) && !roles.Contains(Roles.Admin))
            return UserResult.Fail("You cannot remove your own Admin role; ask another admin.");

        var removed = await users.RemoveFromRolesAsync(user, current.Except(roles));
        if (!removed.Succeeded) return Failed(removed);
        var added = await users.AddToRolesAsync(user, roles.Except(current));
        if (!added.Succeeded) return Failed(added);
        await users.UpdateSecurityStampAsync(user); // open sessions pick up the new roles at their next check
        await AuditAsync(scope, actor, "Roles changed", user.Email!, new { Roles = current }, new { Roles = roles.Order().ToList() });
        return UserResult.Ok;
    }

    public async Task<UserResult> SetLockedAsync(ClaimsPrincipal actor, string userId, bool locked)
    {
        if (!await MayManageAsync(actor)) return UserResult.Forbidden;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return UserResult.Fail("The user no longer exists.");
        if (locked && string.Equals(user.Email, actor.Identity!.Name, StringComparison.OrdinalIgnoreCase))
            return UserResult.Fail("You cannot lock your own account.");
        var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!result.Succeeded) return Failed(result);
        if (!locked) await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(scope, actor, locked ? "User locked" : "User unlocked", user.Email!, null, null);
        return UserResult.Ok;
    }

    private async Task AuditAsync(AsyncServiceScope scope, ClaimsPrincipal actor, string action, string email, object? before, object? after)
    {
        var db = scope.ServiceProvider.GetRequiredService<LoanHubDbContext>();
        new AuditTrail(db, actor.Identity!.Name!, clock.GetUtcNow()).Record("Users", action, "User", email, before, after);
        await db.SaveChangesAsync();
    }

    private static UserResult Failed(IdentityResult result) => new(false, result.Errors.Select(e => e.Description).ToList());
}
