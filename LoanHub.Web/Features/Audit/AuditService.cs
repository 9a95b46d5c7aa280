using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Audit;

public sealed record AuditFilter
{
    public string? Area { get; init; }
    /// <summary>Part of the actor's name (email).</summary>
    public string? Actor { get; init; }
    /// <summary>Part of the action text.</summary>
    public string? Action { get; init; }
    /// <summary>First China business day (inclusive).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Last China business day (inclusive).</summary>
    public DateOnly? To { get; init; }
}

public sealed record AuditRow(long Id, DateTimeOffset At, string Actor, string Area, string Action, string EntityType, string EntityId,
    string? Before, string? After)
{
    /// <summary>What people know the record by when its id is generated (an application's reference); null otherwise.</summary>
    public string? KnownAs { get; init; }

    public AuditRecordLabel Record => AuditRecordText.Describe(EntityType, EntityId, KnownAs);
}

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int Total, bool TotalIsCapped);

/// <summary>
/// Which areas of the audit log a user may read, per the access table: Admins and compliance reviewers all of
/// it, operations managers only their own areas (lenders and routing).
/// </summary>
public static class AuditAccess
{
    public static IReadOnlyList<string> AllAreas { get; } = ["Applications", "Lenders", "Review", "Blocklist", "Routing", "Risk", "Alerts", "Users", "System"];
    public static IReadOnlyList<string> OperationsAreas { get; } = ["Lenders", "Routing", "Alerts"];

    /// <summary>The areas <paramref name="user"/> may read; empty when none.</summary>
    public static IReadOnlyList<string> VisibleAreas(ClaimsPrincipal user)
    {
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ComplianceReviewer)) return AllAreas;
        if (user.IsInRole(Roles.OperationsManager)) return OperationsAreas;
        return [];
    }

    public static bool ReadsEverything(ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ComplianceReviewer);
}

/// <summary>The audit log, newest first, page by page, restricted in the query itself to what the user may read.</summary>
public sealed class AuditService(IDbContextFactory<LoanHubDbContext> contexts, IAuthorizationService authorization)
{
    public const int CountCap = 10_000;

    public async Task<AuditPage> SearchAsync(AuditFilter filter, int page, int pageSize, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        if (!(await authorization.AuthorizeAsync(user, Policies.AuditRead)).Succeeded)
            throw new UnauthorizedAccessException("You are not allowed to read the audit log.");

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Audit.AsNoTracking();
        if (!AuditAccess.ReadsEverything(user))
        {
            var areas = AuditAccess.VisibleAreas(user).ToList();
            query = query.Where(a => areas.Contains(a.Area));
        }
        if (!string.IsNullOrWhiteSpace(filter.Area)) query = query.Where(a => a.Area == filter.Area);
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            query = query.Where(a => a.Actor.Contains(actor));
        }
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(a => a.Action.Contains(action));
        }
        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), BusinessDay.ChinaStandardTime);
            query = query.Where(a => a.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), BusinessDay.ChinaStandardTime);
            query = query.Where(a => a.At < end);
        }

        var counted = await query.Select(a => a.Id).Take(CountCap + 1).CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(a => new AuditRow(a.Id, a.At, a.Actor, a.Area, a.Action, a.EntityType, a.EntityId, a.Before, a.After))
            .ToListAsync(cancellationToken);
        return new AuditPage(await WithNamesAsync(db, rows, cancellationToken), Math.Min(counted, CountCap), counted > CountCap);
    }

    /// <summary>Every entry the filter matches, newest first, page by page (what the export writes).</summary>
    public async IAsyncEnumerable<AuditRow> AllAsync(AuditFilter filter, ClaimsPrincipal user,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const int pageSize = 1_000;
        for (var page = 0; page * pageSize < CountCap; page++)
        {
            var rows = (await SearchAsync(filter, page, pageSize, user, cancellationToken)).Rows;
            foreach (var row in rows) yield return row;
            if (rows.Count < pageSize) yield break;
        }
    }

    /// <summary>
    /// Names the page's applications and review cases by the application reference the console shows, and alerts by
    /// their rule and subject, in three reads whatever the page size.
    /// </summary>
    private static async Task<IReadOnlyList<AuditRow>> WithNamesAsync(LoanHubDbContext db, List<AuditRow> rows, CancellationToken cancellationToken)
    {
        List<Guid> Ids(string type) => [.. rows.Where(r => r.EntityType == type).Select(r => Guid.TryParse(r.EntityId, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct()];
        var applicationIds = Ids(nameof(LoanApplication)).Select(id => new ApplicationId(id)).ToList();
        var caseIds = Ids(nameof(ReviewCase));
        var alertIds = Ids(nameof(Alerts.Alert));
        var names = new Dictionary<(string, Guid), string>();
        if (applicationIds.Count > 0)
            foreach (var a in await db.Applications.AsNoTracking().Where(a => applicationIds.Contains(a.Id)).Select(a => new { a.Id, a.ExternalRef }).ToListAsync(cancellationToken))
                names[(nameof(LoanApplication), a.Id.Value)] = a.ExternalRef;
        if (caseIds.Count > 0)
        {
            var cases = await db.ReviewCases.AsNoTracking().Where(c => caseIds.Contains(c.Id))
                .Join(db.Applications, c => c.ApplicationId, a => a.Id, (c, a) => new { c.Id, a.ExternalRef }).ToListAsync(cancellationToken);
            foreach (var c in cases) names[(nameof(ReviewCase), c.Id)] = c.ExternalRef;
        }
        if (alertIds.Count > 0)
            foreach (var a in await db.Alerts.AsNoTracking().Where(a => alertIds.Contains(a.Id)).Select(a => new { a.Id, a.Kind, a.Subject }).ToListAsync(cancellationToken))
                names[(nameof(Alerts.Alert), a.Id)] = $"{a.Kind} · {a.Subject}";
        return [.. rows.Select(r => Guid.TryParse(r.EntityId, out var id) && names.TryGetValue((r.EntityType, id), out var name) ? r with { KnownAs = name } : r)];
    }
}
