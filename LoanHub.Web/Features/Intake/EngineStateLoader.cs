using System.Data;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Cluster;
using LoanHub.Web.Features.Delivery;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// Builds the writer's <see cref="EngineState"/> from the store: the catalog and push endpoints, 180 days of fraud
/// history, this and last month's usage, and the deliveries left in flight by the last run (their slots held again,
/// to be resumed); and the catalog alone when an operator changed it.
/// </summary>
/// <param name="configured">The thresholds of <c>LoanHub:Decision</c> and <c>LoanHub:Fraud</c>: version 1 of the risk policy, and what decides while no version is stored.</param>
internal sealed class EngineStateLoader(IDbContextFactory<LoanHubDbContext> contexts, RiskPolicy configured, WriterTurns turns, TimeProvider clock,
    ILogger<EngineStateLoader> logger)
{
    /// <summary>How far back the fraud index looks for duplicates and rings; personal data must outlive it.</summary>
    public static readonly TimeSpan FraudHistory = TimeSpan.FromDays(180);

    public async Task<(EngineState State, IReadOnlyList<Placement> Resumed)> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Where several instances share the store, everything is read in one snapshot, taken after the last writer turn
        // it holds: the turns after it are what the state catches up on (ADR 0013).
        await using var snapshot = turns.Shared ? await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken) : null;
        var appliedTurn = await turns.LastAsync(db, cancellationToken);
        var catalog = await CatalogAsync(db, cancellationToken);
        var feed = await db.Allocations.MaxAsync(a => (long?)a.FeedSequence, cancellationToken) ?? 0;
        var loaded = new EngineState(new FraudIndex(catalog.Risk.Fraud), catalog, feed) { AppliedTurn = appliedTurn };

        var since = clock.GetUtcNow() - FraudHistory;
        var history = db.Applications.AsNoTracking().Where(a => a.ReceivedAt >= since).OrderBy(a => a.ReceivedAt)
            .Select(a => new { a.Id, a.IdentityHash, a.PhoneHash, a.DeviceHash, a.IpHash, a.ReceivedAt, a.Status, a.DecidedAt })
            .AsAsyncEnumerable();
        var count = 0;
        await foreach (var a in history.WithCancellation(cancellationToken))
        {
            loaded.Fraud.Add(new ApplicationFingerprint(a.Id, a.IdentityHash, a.PhoneHash, a.DeviceHash, a.IpHash, a.ReceivedAt));
            if (a.Status == ApplicationStatus.Routed) loaded.Fraud.MarkRouted(a.IdentityHash, a.Id, a.DecidedAt ?? a.ReceivedAt);
            count++;
        }

        var fromMonth = BusinessDay.MonthOf(BusinessDay.Of(clock.GetUtcNow())).AddMonths(-1);
        var usage = await db.Allocations.AsNoTracking().Where(a => a.BusinessDay >= fromMonth)
            .Select(a => new { a.ProductId, a.BusinessDay, a.ExpectedCommission })
            .ToListAsync(cancellationToken);
        foreach (var allocation in usage) loaded.RecordAllocation(allocation.ProductId, allocation.BusinessDay, allocation.ExpectedCommission);

        var resumed = await InFlightAsync(db, loaded, cancellationToken);
        if (snapshot is not null) await snapshot.CommitAsync(cancellationToken); // the catalog version it may have recorded
        loaded.StartRecording();
        logger.LogInformation("Engine state loaded: {Products} products ({Push} push lenders), strategy {Strategy}, {Applications} applications of fraud history, {Allocations} allocations this and last month, {InFlight} deliveries to resume.",
            catalog.Products.Count, catalog.Endpoints.Count, catalog.Strategy, count, usage.Count, resumed.Count);
        return (loaded, resumed);
    }

    /// <summary>The catalog alone: a few rows, read when an operator changed it, without the history.</summary>
    public async Task<EngineCatalog> LoadCatalogAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await CatalogAsync(db, cancellationToken);
    }

    private async Task<EngineCatalog> CatalogAsync(LoanHubDbContext db, CancellationToken cancellationToken)
    {
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        // The active routing policy version decides strategy and every product's weight, priority, cap and budget.
        var policy = await db.RoutingPolicies.AsNoTracking().Where(p => p.IsActive).OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
        var products = lenders.SelectMany(l => l.Products.Select(p => ProductSnapshot.Of(l, p) is var snapshot && policy is not null
            ? snapshot with { Limits = policy.LimitsOf(p.Id, p.Code, p.Limits) }
            : snapshot)).ToList();
        var version = await RecordVersionAsync(db, products, cancellationToken);
        var endpoints = lenders.Select(LenderEndpoint.Of).OfType<LenderEndpoint>().ToDictionary(e => e.LenderId);
        var risk = await db.RiskPolicies.AsNoTracking().Where(p => p.IsActive).OrderByDescending(p => p.Version)
            .Select(p => p.PolicyJson).FirstOrDefaultAsync(cancellationToken);
        return new EngineCatalog(products, policy?.Strategy ?? RoutingStrategy.Weighted, endpoints, version,
            risk is null ? configured : RiskPolicy.FromJson(risk));
    }

    /// <summary>
    /// Keeps the catalog the engine is about to decide on as a <see cref="CatalogVersion"/> when it differs from the
    /// last one kept, so the routing what-if can replay each applicant against the catalog of its time; answers its id.
    /// </summary>
    private async Task<long> RecordVersionAsync(LoanHubDbContext db, IReadOnlyList<ProductSnapshot> products, CancellationToken cancellationToken)
    {
        var json = CatalogTimeline.Serialize(products);
        var fingerprint = CatalogVersion.FingerprintOf(json);
        var latest = await db.CatalogVersions.AsNoTracking().OrderByDescending(v => v.TakenAt).ThenByDescending(v => v.Id)
            .Select(v => new { v.Id, v.Fingerprint }).FirstOrDefaultAsync(cancellationToken);
        if (latest?.Fingerprint == fingerprint) return latest.Id;
        var version = new CatalogVersion(clock.GetUtcNow(), json);
        db.CatalogVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        return version.Id;
    }

    // An attempt still in flight was recorded, maybe sent, never answered: its slot is held again and, on a store of one
    // instance, it is sent again with the same idempotency keys, so the lender answers what it answered the first time.
    // Where several share the store, an attempt may be another instance's, still being sent: the writer takes over only
    // those whose sender is gone, under its lock (ADR 0013).
    private async Task<IReadOnlyList<Placement>> InFlightAsync(LoanHubDbContext db, EngineState state, CancellationToken cancellationToken)
    {
        var inFlight = await db.DeliveryAttempts.AsNoTracking().Where(a => a.Outcome == AttemptOutcome.InFlight).ToListAsync(cancellationToken);
        foreach (var group in inFlight.GroupBy(a => a.ApplicationId))
        {
            // An auction's bids hold no slot; a single attempt does.
            if (group.Count() > 1) continue;
            var last = group.Single();
            state.RecordAllocation(last.ProductId, BusinessDay.Of(last.CreatedAt), last.ExpectedCommission);
        }
        var underWay = inFlight.Select(a => a.ApplicationId).Distinct().ToList();
        foreach (var identity in await db.Applications.AsNoTracking().Where(a => underWay.Contains(a.Id)).Select(a => a.IdentityHash).ToListAsync(cancellationToken))
            state.DeliveryUnderWay(identity, 1);
        return turns.Shared ? [] : await PlacementsAsync(db, inFlight, state, cancellationToken);
    }

    /// <summary>The deliveries of <paramref name="inFlight"/> (attempts still in flight), ready to be sent again; holds no slot.</summary>
    public static async Task<IReadOnlyList<Placement>> PlacementsAsync(LoanHubDbContext db, IReadOnlyList<DeliveryAttempt> inFlight, EngineState state,
        CancellationToken cancellationToken)
    {
        if (inFlight.Count == 0) return [];
        var ids = inFlight.Select(a => a.ApplicationId).Distinct().ToList();
        var applications = await db.Applications.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var assessments = await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.ApplicationId))
            .ToDictionaryAsync(a => a.ApplicationId, cancellationToken);
        var earlier = (await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.ApplicationId) && a.Outcome != AttemptOutcome.InFlight)
            .ToListAsync(cancellationToken)).ToLookup(a => a.ApplicationId);
        var products = state.Products.ToDictionary(p => p.ProductId);

        var placements = new List<Placement>();
        foreach (var group in inFlight.GroupBy(a => a.ApplicationId))
        {
            var application = applications[group.Key];
            var record = DecisionRecord.FromJson(assessments[group.Key].DecisionRecordJson);
            var last = group.MaxBy(a => a.Sequence)!;
            var placement = new Placement(application.Id, application.SourceId, record, application.Applicant, application.Consent,
                application.ReceivedAt, System.Diagnostics.Stopwatch.GetTimestamp())
            {
                Attempts = last.Sequence,
                Latest = record,
                CountedUnderWay = true, // counted by the load that saw it in flight
                Application = application,
                Assessment = assessments[group.Key],
            };
            foreach (var ended in earlier[group.Key]) placement.Exclude(ended);
            if (group.Count() > 1)
            {
                // An auction cut short: every bid is asked for again (same keys, so the same answers) and awarded anew.
                placement.Auctioned = true;
                foreach (var attempt in group) placement.Pending[attempt.Id] = (attempt, products[attempt.ProductId]);
            }
            else
            {
                var day = BusinessDay.Of(last.CreatedAt);
                placement.Current = new InFlightAttempt(last, products[last.ProductId], record.Allocation?.Winner?.ProductId == last.ProductId ? record.Allocation : null, day);
            }
            placements.Add(placement);
        }
        return placements;
    }
}
