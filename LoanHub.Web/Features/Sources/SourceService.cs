using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Lenders;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Sources;

/// <summary>A traffic source as the list shows it, with its last 30 business days from the daily counters.</summary>
public sealed record SourceRow(SourceId Id, string Code, string Name, bool IsActive, int Version,
    int ApplicantsToday, int Applicants30Days, int Routed30Days, int Flagged30Days)
{
    public double RoutedShare => Applicants30Days == 0 ? 0 : (double)Routed30Days / Applicants30Days;
    public double FlaggedShare => Applicants30Days == 0 ? 0 : (double)Flagged30Days / Applicants30Days;
}

/// <summary>
/// Traffic sources for the console: the list with each source's recent volume, quality and fraud-signal rate,
/// and every change to a source (create with a new API key, rename, rotate the key, pause and resume intake).
/// Changes go through <see cref="CatalogEditor"/>: the same rights, audit area and checks as lenders.
/// </summary>
public sealed class SourceService(IDbContextFactory<LoanHubDbContext> contexts, CatalogEditor editor, TimeProvider clock)
{
    public Task<bool> CanEditAsync(ClaimsPrincipal user) => editor.CanEditAsync(user);

    public async Task<IReadOnlyList<SourceRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var today = BusinessDay.Of(clock.GetUtcNow());
        var firstDay = today.AddDays(-29);
        var counts = (await db.DailyApplicationCounts.AsNoTracking().Where(c => c.Day >= firstDay).ToListAsync(cancellationToken))
            .ToLookup(c => c.SourceId);
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.Code).ToListAsync(cancellationToken);
        return [.. sources.Select(s => new SourceRow(s.Id, s.Code, s.Name, s.IsActive, s.Version,
            counts[s.Id].Where(c => c.Day == today).Sum(c => c.Applicants),
            counts[s.Id].Sum(c => c.Applicants),
            counts[s.Id].Where(c => c.Status == ApplicationStatus.Routed).Sum(c => c.Applicants),
            counts[s.Id].Sum(c => c.Flagged)))];
    }

    /// <summary>Creates a source with a new API key, returned once in <see cref="CatalogResult.ApiKey"/>; only its hash is stored.</summary>
    public Task<CatalogResult> CreateAsync(ClaimsPrincipal user, string code, string name, CancellationToken cancellationToken = default) =>
        editor.CreatePartnerAsync(user, db => db.Sources, hash => new TrafficSource(code, name, hash), code, cancellationToken);

    /// <summary>Renames the source the operator saw at <paramref name="versionSeen"/>; a conflict if someone changed it since.</summary>
    public Task<CatalogResult> RenameAsync(ClaimsPrincipal user, SourceId id, string name, int versionSeen, CancellationToken cancellationToken = default) =>
        editor.RenamePartnerAsync(user, db => FindAsync(db, id, cancellationToken), name, versionSeen, cancellationToken);

    /// <summary>Replaces a source's API key; the old key is refused from the next request on. The new key is returned once.</summary>
    public Task<CatalogResult> RotateApiKeyAsync(ClaimsPrincipal user, SourceId id, CancellationToken cancellationToken = default) =>
        editor.RotateApiKeyAsync(user, db => FindAsync(db, id, cancellationToken), cancellationToken);

    /// <summary>A paused source's key is refused at intake (401) until it is resumed; nothing it sent before changes.</summary>
    public Task<CatalogResult> SetActiveAsync(ClaimsPrincipal user, SourceId id, bool active, CancellationToken cancellationToken = default) =>
        editor.SetActiveAsync(user, db => FindAsync(db, id, cancellationToken), active, cancellationToken);

    private static Task<TrafficSource?> FindAsync(LoanHubDbContext db, SourceId id, CancellationToken cancellationToken) =>
        db.Sources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
}
