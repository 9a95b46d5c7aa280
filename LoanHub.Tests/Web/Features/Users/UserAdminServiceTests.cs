using LoanHub.Web.Data;
using LoanHub.Web.Features.Users;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LoanHub.Tests.Web.Features.Users;

/// <summary>The console's host on a clock the tests hold still, so "locked until now" can be asked about exactly.</summary>
public sealed class UsersHost : LoanHubHost
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public UsersHost() => Clock = Time;
}

/// <summary>What an admin may change about console users, over the real Identity store; who may not, and what the audit log keeps.</summary>
public class UserAdminServiceTests(UsersHost host) : IClassFixture<UsersHost>
{
    private const string Password = "Users-Service-Passw0rd";
    private readonly UserAdminService users = host.Services.GetRequiredService<UserAdminService>();

    private static string NewEmail() => $"user-{Guid.NewGuid():N}@test.local";

    private async Task<UserRow> CreatedAsync(params string[] roles)
    {
        var email = NewEmail();
        var created = await users.CreateAsync(TestUsers.Admin, new NewUser(email, "Someone", Password, roles));
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        return await RowAsync(email);
    }

    private async Task<UserRow> RowAsync(string email) => (await users.ListAsync()).Single(u => u.Email == email);

    private async Task<ApplicationUser> StoredAsync(string id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(id))!;
    }

    private async Task<List<AuditEntryView>> AuditOfAsync(string email)
    {
        await using var db = host.CreateDbContext();
        return await db.Audit.Where(a => a.Area == "Users" && a.EntityId == email).OrderBy(a => a.Id)
            .Select(a => new AuditEntryView(a.Actor, a.Action, a.Before, a.After)).ToListAsync();
    }

    private sealed record AuditEntryView(string Actor, string Action, string? Before, string? After);

    private static string[] RolesIn(string? json) =>
        [.. System.Text.Json.JsonDocument.Parse(json!).RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];

    [Fact]
    public async Task An_admin_creates_a_user_with_trimmed_names_sorted_roles_and_an_audit_entry()
    {
        var email = NewEmail();

        var result = await users.CreateAsync(TestUsers.Admin,
            new NewUser($"  {email} ", " Wang Fang ", Password, [Roles.OperationsManager, Roles.Analyst]));

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        var row = await RowAsync(email);
        Assert.Equal("Wang Fang", row.DisplayName);
        Assert.Equal((IReadOnlyList<string>)[Roles.Analyst, Roles.OperationsManager], row.Roles);
        Assert.False(row.IsLockedOut);
        Assert.Null(row.LockoutEnd);
        var stored = await StoredAsync(row.Id);
        Assert.Equal(email, stored.UserName);
        Assert.True(stored.EmailConfirmed);
        var audit = Assert.Single(await AuditOfAsync(email));
        Assert.Equal((LoanHubHost.AdminEmail, "User created"), (audit.Actor, audit.Action));
        Assert.Contains("Wang Fang", audit.After, StringComparison.Ordinal);
        Assert.Null(audit.Before);
    }

    [Fact]
    public async Task The_users_are_listed_by_email()
    {
        await CreatedAsync(Roles.Analyst);
        await CreatedAsync(Roles.Analyst);

        var emails = (await users.ListAsync()).Select(u => u.Email).ToList();

        Assert.Equal(emails.Order(StringComparer.Ordinal), emails);
    }

    [Fact]
    public async Task A_user_with_an_unknown_role_or_no_role_is_not_created()
    {
        var unknown = NewEmail();
        var none = NewEmail();

        var withUnknown = await users.CreateAsync(TestUsers.Admin, new NewUser(unknown, "X", Password, [Roles.Analyst, "Superuser"]));
        var withNone = await users.CreateAsync(TestUsers.Admin, new NewUser(none, "X", Password, []));

        Assert.Equal((false, "Unknown role Superuser."), (withUnknown.Succeeded, Assert.Single(withUnknown.Errors)));
        Assert.Equal((false, "Choose at least one role."), (withNone.Succeeded, Assert.Single(withNone.Errors)));
        var emails = (await users.ListAsync()).Select(u => u.Email).ToList();
        Assert.DoesNotContain(unknown, emails);
        Assert.DoesNotContain(none, emails);
    }

    [Fact]
    public async Task A_user_whose_password_the_policy_refuses_is_not_created_and_the_reason_is_shown()
    {
        var email = NewEmail();

        var result = await users.CreateAsync(TestUsers.Admin, new NewUser(email, "X", "short", [Roles.Analyst]));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("12", StringComparison.Ordinal));
        Assert.DoesNotContain(email, (await users.ListAsync()).Select(u => u.Email));
        Assert.Empty(await AuditOfAsync(email));
    }

    [Fact]
    public async Task A_signed_in_principal_without_a_name_may_not_manage_users_even_with_the_admin_role()
    {
        var nameless = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, Roles.Admin)], "test"));
        var target = await CreatedAsync(Roles.Analyst);

        Assert.Equal(UserResult.Forbidden, await users.CreateAsync(nameless, new NewUser(NewEmail(), "X", Password, [Roles.Analyst])));
        Assert.Equal(UserResult.Forbidden, await users.SetRolesAsync(nameless, target.Id, [Roles.Admin]));
        Assert.Equal(UserResult.Forbidden, await users.SetLockedAsync(nameless, target.Id, true));
        Assert.Equal((IReadOnlyList<string>)[Roles.Analyst], (await RowAsync(target.Email)).Roles);
    }

    [Fact]
    public async Task Changing_roles_replaces_them_renews_the_security_stamp_and_is_audited_before_and_after()
    {
        var target = await CreatedAsync(Roles.Analyst, Roles.ComplianceReviewer);
        var stamp = (await StoredAsync(target.Id)).SecurityStamp;

        var result = await users.SetRolesAsync(TestUsers.Admin, target.Id, [Roles.OperationsManager, Roles.ComplianceReviewer]);

        Assert.True(result.Succeeded);
        Assert.Equal((IReadOnlyList<string>)[Roles.ComplianceReviewer, Roles.OperationsManager], (await RowAsync(target.Email)).Roles);
        Assert.NotEqual(stamp, (await StoredAsync(target.Id)).SecurityStamp);
        var audit = (await AuditOfAsync(target.Email)).Last();
        Assert.Equal("Roles changed", audit.Action);
        Assert.Equal([Roles.Analyst, Roles.ComplianceReviewer], RolesIn(audit.Before));
        Assert.Equal([Roles.ComplianceReviewer, Roles.OperationsManager], RolesIn(audit.After));
    }

    [Fact]
    public async Task Roles_with_an_unknown_name_or_for_a_missing_user_change_nothing()
    {
        var target = await CreatedAsync(Roles.Analyst);

        var unknown = await users.SetRolesAsync(TestUsers.Admin, target.Id, [Roles.Analyst, "Superuser"]);
        var missing = await users.SetRolesAsync(TestUsers.Admin, Guid.NewGuid().ToString(), [Roles.Analyst]);

        Assert.Equal((false, "Unknown role."), (unknown.Succeeded, Assert.Single(unknown.Errors)));
        Assert.Equal((false, "The user no longer exists."), (missing.Succeeded, Assert.Single(missing.Errors)));
        Assert.Equal((IReadOnlyList<string>)[Roles.Analyst], (await RowAsync(target.Email)).Roles);
        Assert.Single(await AuditOfAsync(target.Email)); // the creation only
    }

    [Fact]
    public async Task An_admin_cannot_remove_their_own_admin_role_but_may_add_a_role_beside_it()
    {
        var admin = await CreatedAsync(Roles.Admin);
        var self = TestUsers.Principal(admin.Email.ToUpperInvariant(), Roles.Admin);

        var dropped = await users.SetRolesAsync(self, admin.Id, [Roles.Analyst]);
        Assert.Equal((false, "You cannot remove your own Admin role; ask another admin."), (dropped.Succeeded, Assert.Single(dropped.Errors)));
        Assert.Equal((IReadOnlyList<string>)[Roles.Admin], (await RowAsync(admin.Email)).Roles);

        Assert.True((await users.SetRolesAsync(self, admin.Id, [Roles.Admin, Roles.Analyst])).Succeeded);
        Assert.Equal((IReadOnlyList<string>)[Roles.Admin, Roles.Analyst], (await RowAsync(admin.Email)).Roles);
    }

    [Fact]
    public async Task Another_admin_may_remove_an_admins_admin_role()
    {
        var admin = await CreatedAsync(Roles.Admin);

        Assert.True((await users.SetRolesAsync(TestUsers.Admin, admin.Id, [Roles.Analyst])).Succeeded);

        Assert.Equal((IReadOnlyList<string>)[Roles.Analyst], (await RowAsync(admin.Email)).Roles);
    }

    [Fact]
    public async Task Locking_a_user_locks_them_for_good_ends_their_sessions_and_is_audited()
    {
        var target = await CreatedAsync(Roles.Analyst);
        var stamp = (await StoredAsync(target.Id)).SecurityStamp;

        var result = await users.SetLockedAsync(TestUsers.Admin, target.Id, true);

        Assert.True(result.Succeeded);
        var row = await RowAsync(target.Email);
        Assert.True(row.IsLockedOut);
        Assert.Equal(DateTimeOffset.MaxValue, row.LockoutEnd);
        Assert.NotEqual(stamp, (await StoredAsync(target.Id)).SecurityStamp);
        Assert.Equal(("User locked", LoanHubHost.AdminEmail), ((await AuditOfAsync(target.Email)).Last().Action, (await AuditOfAsync(target.Email)).Last().Actor));
    }

    [Fact]
    public async Task Unlocking_a_user_clears_the_lock_and_the_failed_attempts_and_is_audited()
    {
        var target = await CreatedAsync(Roles.Analyst);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var stored = (await manager.FindByIdAsync(target.Id))!;
            await manager.AccessFailedAsync(stored);
            await manager.AccessFailedAsync(stored);
        }
        Assert.True((await users.SetLockedAsync(TestUsers.Admin, target.Id, true)).Succeeded);
        var stamp = (await StoredAsync(target.Id)).SecurityStamp;

        var result = await users.SetLockedAsync(TestUsers.Admin, target.Id, false);

        Assert.True(result.Succeeded);
        var row = await RowAsync(target.Email);
        Assert.False(row.IsLockedOut);
        Assert.Null(row.LockoutEnd);
        var after = await StoredAsync(target.Id);
        Assert.Equal(0, after.AccessFailedCount);
        Assert.NotEqual(stamp, after.SecurityStamp);
        Assert.Equal("User unlocked", (await AuditOfAsync(target.Email)).Last().Action);
    }

    [Fact]
    public async Task An_admin_cannot_lock_their_own_account_and_a_missing_user_is_reported()
    {
        var admin = await CreatedAsync(Roles.Admin);
        var self = TestUsers.Principal(admin.Email.ToUpperInvariant(), Roles.Admin);

        var own = await users.SetLockedAsync(self, admin.Id, true);
        var missing = await users.SetLockedAsync(TestUsers.Admin, Guid.NewGuid().ToString(), true);

        Assert.Equal((false, "You cannot lock your own account."), (own.Succeeded, Assert.Single(own.Errors)));
        Assert.Equal((false, "The user no longer exists."), (missing.Succeeded, Assert.Single(missing.Errors)));
        Assert.False((await RowAsync(admin.Email)).IsLockedOut);
        Assert.True((await users.SetLockedAsync(self, admin.Id, false)).Succeeded); // unlocking oneself is harmless
    }

    [Fact]
    public async Task A_lock_that_ends_now_no_longer_counts_as_locked_out_and_one_that_ends_later_does()
    {
        var ended = await CreatedAsync(Roles.Analyst);
        var running = await CreatedAsync(Roles.Analyst);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await manager.SetLockoutEndDateAsync((await manager.FindByIdAsync(ended.Id))!, host.Time.GetUtcNow());
            await manager.SetLockoutEndDateAsync((await manager.FindByIdAsync(running.Id))!, host.Time.GetUtcNow().AddSeconds(1));
        }

        Assert.False((await RowAsync(ended.Email)).IsLockedOut);
        Assert.True((await RowAsync(running.Email)).IsLockedOut);
    }
}
