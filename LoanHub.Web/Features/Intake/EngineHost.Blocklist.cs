using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Blocklists;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Intake;

// The blocklist in the writer: intake matches each applicant against the active snapshot and counts the stops in the
// group's transaction; a review rejection may block the rejected applicants' keys in its own.
public sealed partial class EngineHost
{
    /// <summary>One group's view of the blocklist and the stops it counted; a group taken back takes its counts with it.</summary>
    private sealed class BlocklistStops(Blocklist blocklist, FraudPolicy policy)
    {
        private readonly Dictionary<Guid, int> stopped = [];

        public FraudFindings Check(ApplicationFingerprint application, FraudFindings findings)
        {
            var match = blocklist.Check(application, policy);
            if (match.Signal is not { } signal) return findings;
            foreach (var key in match.Keys) stopped[key.EntryId] = stopped.GetValueOrDefault(key.EntryId) + 1;
            return findings.With([signal]);
        }

        // Runs inside the group's savepoint, so a group that is rolled back never counted.
        public async Task SaveAsync(LoanHubDbContext db, CancellationToken cancellationToken)
        {
            foreach (var (id, count) in stopped)
                await db.Blocklist.Where(e => e.Id == id).ExecuteUpdateAsync(e => e.SetProperty(x => x.Stopped, x => x.Stopped + count), cancellationToken);
        }
    }

    /// <summary>
    /// Adds an entry for each distinct key of the rejected applicants that <paramref name="block"/> names, unless that key
    /// is already blocked at least as long; each entry audited. True when any entry was added.
    /// </summary>
    private static async Task<bool> BlockAsync(LoanHubDbContext db, BlockRequest block, IReadOnlyList<(ReviewCase Case, LoanApplication Application)> rejected,
        string reviewer, string note, DateTimeOffset at, AuditTrail audit, CancellationToken cancellationToken)
    {
        var until = at.AddDays(block.Days);
        var wanted = rejected
            .SelectMany(r => block.Kinds.Select(kind => (Kind: kind, Hash: BlockRequest.KeyOf(r.Application, kind), CaseId: r.Case.Id)))
            .DistinctBy(k => (k.Kind, k.Hash))
            .ToList();
        var hashes = wanted.Select(k => k.Hash).ToList();
        var covered = (await db.Blocklist.AsNoTracking().Where(e => e.LiftedAt == null && e.Until >= until && hashes.Contains(e.KeyHash))
            .Select(e => new { e.Kind, e.KeyHash }).ToListAsync(cancellationToken))
            .Select(e => (e.Kind, e.KeyHash)).ToHashSet();
        var added = false;
        foreach (var (kind, hash, caseId) in wanted.Where(k => !covered.Contains((k.Kind, k.Hash))))
        {
            var entry = new BlocklistEntry(kind, hash, $"Rejected in review: {note}", reviewer, at, block.Days, caseId);
            db.Blocklist.Add(entry);
            // What was blocked and why, never the key: not even its hash leaves the blocklist table.
            audit.Record(BlocklistService.Area, "Key blocked", nameof(BlocklistEntry), entry.Id.ToString(),
                after: new { entry.Kind, entry.Until, entry.Reason, ReviewCase = caseId });
            added = true;
        }
        return added;
    }
}
