using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Blocklists;

/// <summary>
/// The admins' view of the blocklist: lists the entries and lifts one with a reason, audited, and tells the writer so
/// the next application is no longer matched against it. Entries are made by reviewers rejecting a case
/// (<see cref="Intake.EngineHost.DecideReviewsAsync(IReadOnlyList{Guid}, bool, string, string, BlockRequest?, CancellationToken)"/>).
/// Every operation checks <see cref="Policies.Blocklist"/> itself.
/// </summary>
public sealed class BlocklistService(
    IDbContextFactory<LoanHubDbContext> contexts,
    ActiveBlocklist active,
    IAuthorizationService authorization,
    TimeProvider clock)
{
    public const string Area = "Blocklist";
    /// <summary>The most entries one load lists, newest first.</summary>
    public const int MaxListed = 1000;

    public async Task<BlocklistView> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await RequireAdminAsync(user);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = await db.Blocklist.AsNoTracking().OrderByDescending(e => e.CreatedAt).Take(MaxListed).ToListAsync(cancellationToken);
        var activeCount = await db.Blocklist.CountAsync(e => e.LiftedAt == null && e.Until > now, cancellationToken);
        var stopped = await db.Blocklist.SumAsync(e => e.Stopped, cancellationToken);
        var rows = entries.Select(e => new BlocklistRow(e.Id, e.Version, e.Kind, e.Reason, e.CreatedBy, e.CreatedAt, e.Until, e.ReviewCaseId, e.Stopped,
                e.IsLifted ? BlockState.Lifted : e.IsActiveAt(now) ? BlockState.Active : BlockState.Expired, e.LiftedBy, e.LiftedAt, e.LiftReason))
            .ToList();
        return new BlocklistView(rows, activeCount, stopped, now);
    }

    /// <summary>Lifts an active entry, against the version the admin saw; from the next application on, it matches nobody.</summary>
    public async Task<BlocklistResult> LiftAsync(ClaimsPrincipal user, Guid entryId, int versionSeen, string reason, CancellationToken cancellationToken = default)
    {
        var admin = await RequireAdminAsync(user);
        if (string.IsNullOrWhiteSpace(reason)) return BlocklistResult.Fail("Write why the block is lifted.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entry = await db.Blocklist.SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is null) return BlocklistResult.Fail("The entry no longer exists.");
        db.Entry(entry).Property(e => e.Version).OriginalValue = versionSeen;
        var now = clock.GetUtcNow();
        try
        {
            var before = new { State = BlockState.Active, entry.Until, entry.Stopped };
            entry.Lift(admin, reason, now);
            new AuditTrail(db, admin, now).Record(Area, "Block lifted", nameof(BlocklistEntry), entry.Id.ToString(),
                before, new { State = BlockState.Lifted, entry.Kind, entry.Stopped, Reason = entry.LiftReason });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException e)
        {
            return BlocklistResult.Fail(e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return BlocklistResult.Fail("Someone changed this entry since you loaded it. The list is refreshed; try again.");
        }
        active.Changed();
        return BlocklistResult.Ok;
    }

    private async Task<string> RequireAdminAsync(ClaimsPrincipal user)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name) || !(await authorization.AuthorizeAsync(user, Policies.Blocklist)).Succeeded)
            throw new UnauthorizedAccessException("Only admins can see and lift blocklist entries.");
        return name;
    }
}
