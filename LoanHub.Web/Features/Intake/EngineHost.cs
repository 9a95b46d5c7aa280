using System.Threading.Channels;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// The one writer of decisions. Intake requests queue here; the writer takes what has queued (up to
/// <see cref="MaxBatch"/>), decides each in order against the in-memory <see cref="EngineState"/>, and
/// commits the whole group in one transaction before answering any of them. Concurrent requests thus
/// share a commit (thousands per second on SQLite) while caps, budgets, duplicates and rings are
/// decided strictly one after another. A failed commit answers the whole group with an error and
/// rebuilds the state from the store, so nothing unacknowledged leaks into later decisions.
/// </summary>
public sealed class EngineHost(
    IDbContextFactory<LoanHubDbContext> contexts,
    PersonalData personalData,
    DecisionEngine engine,
    FraudPolicy fraudPolicy,
    IntakeOptions options,
    TimeProvider clock,
    ILogger<EngineHost> logger) : BackgroundService
{
    /// <summary>The most applications committed in one transaction (<c>LoanHub:Intake:MaxBatch</c>).</summary>
    public int MaxBatch { get; } = Math.Max(1, options.MaxBatch);
    /// <summary>How far back the fraud index looks for duplicates and rings; personal data must outlive it.</summary>
    internal static readonly TimeSpan FraudHistory = TimeSpan.FromDays(180);

    private readonly Channel<IntakeCommand> queue = Channel.CreateUnbounded<IntakeCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile EngineState? state;

    /// <summary>Queues one application and waits until its decision is committed (or refused).</summary>
    public async Task<IntakeOutcome> SubmitAsync(IntakeCommand command, CancellationToken cancellationToken)
    {
        await queue.Writer.WriteAsync(command, cancellationToken);
        return await command.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Raised after each committed group of decisions (intake or review), from the writer's thread. Handlers
    /// must be quick and never throw; pages marshal to their own circuit with InvokeAsync.
    /// </summary>
    public event Action? DecisionsCommitted;

    private void NotifyCommitted()
    {
        try
        {
            DecisionsCommitted?.Invoke();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A listener to committed decisions failed.");
        }
    }

    /// <summary>Catalog or policy changed: the next group re-reads them (and the rest of the state) from the store.</summary>
    public void InvalidateState() => state = null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<IntakeCommand>(MaxBatch);
                while (batch.Count < MaxBatch && reader.TryRead(out var command)) batch.Add(command);
                await ProcessAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (reader.TryRead(out var left)) left.Completion.TrySetCanceled(stoppingToken);
        }
    }

    /// <summary>Decides and commits one group; also used directly by the demo generator before the host runs.</summary>
    internal async Task ProcessAsync(IReadOnlyList<IntakeCommand> batch, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = state ??= await LoadAsync(cancellationToken);
            try
            {
                var outcomes = await DecideAndCommitAsync(batch, current, cancellationToken);
                for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(outcomes[i]);
                NotifyCommitted();
            }
            catch (Exception e)
            {
                logger.LogError(e, "A group of {Count} applications could not be committed; none was acknowledged.", batch.Count);
                state = null;
                foreach (var command in batch) command.Completion.TrySetException(e);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IntakeOutcome[]> DecideAndCommitAsync(IReadOnlyList<IntakeCommand> batch, EngineState current, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Everything here is added, never modified after tracking: one scan for changes at save is enough.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var outcomes = new IntakeOutcome?[batch.Count];
        var previous = await FindPreviousAsync(db, batch, cancellationToken);
        var seenInBatch = new Dictionary<(SourceId, string), int>();
        var openCases = new Dictionary<ApplicationId, ReviewCase>();
        var clusters = new Dictionary<Guid, FraudCluster>();

        for (var i = 0; i < batch.Count; i++)
        {
            var command = batch[i];
            var key = (command.SourceId, command.Intake.ExternalRef);
            if (previous.TryGetValue(key, out var earlier))
            {
                outcomes[i] = earlier.RequestHash == command.RequestHash
                    ? earlier.Outcome with { Disposition = IntakeDisposition.Replayed }
                    : IntakeOutcome.Conflict(earlier.Outcome.ApplicationId);
                continue;
            }
            if (seenInBatch.TryGetValue(key, out var first))
            {
                var firstOutcome = outcomes[first]!;
                outcomes[i] = batch[first].RequestHash == command.RequestHash
                    ? firstOutcome with { Disposition = IntakeDisposition.Replayed }
                    : IntakeOutcome.Conflict(firstOutcome.ApplicationId);
                continue;
            }
            seenInBatch[key] = i;
            outcomes[i] = Decide(db, command, current, openCases, clusters);
        }

        await JoinRingsAsync(db, clusters.Values, openCases, cancellationToken);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        return [.. outcomes.Select(o => o!)];
    }

    private IntakeOutcome Decide(LoanHubDbContext db, IntakeCommand command, EngineState current,
        Dictionary<ApplicationId, ReviewCase> openCases, Dictionary<Guid, FraudCluster> clusters)
    {
        var applicant = command.Intake.Applicant;
        var at = command.ReceivedAt;
        var application = new LoanApplication(command.SourceId, command.Intake.ExternalRef, command.RequestHash, at, applicant,
            command.Intake.Consent, personalData.LookupHash(applicant.NationalId), personalData.LookupHash(applicant.Phone));
        db.Applications.Add(application);

        var profile = ApplicantProfile.From(applicant);
        var fingerprint = new ApplicationFingerprint(application.Id, application.IdentityHash, application.PhoneHash, applicant.DeviceId, applicant.IpAddress, at);
        var findings = current.Fraud.Check(fingerprint, profile);
        var today = BusinessDay.Of(at);
        var record = engine.Decide(profile, findings, current.OffersOn(today), current.Strategy, current.RoundRobin, today);
        current.Fraud.Add(fingerprint);
        application.RecordFraudSignals(findings.Signals.Count);

        db.Assessments.Add(new RiskAssessment(application.Id, record.ScorecardVersion, record.Score, record.Tier,
            record.ReasonCodes, record.SignalCodes, record.Decision, record.ToJson(), at));

        RoutedTo? routedTo = null;
        switch (record.Status)
        {
            case ApplicationStatus.Routed:
                routedTo = Route(db, application, record, current, at, today);
                break;
            case ApplicationStatus.InReview:
                application.HoldForReview(at);
                var review = new ReviewCase(application.Id, command.SourceId, at,
                    [.. record.SignalCodes.Concat(record.DecisionReasons).Distinct()], record.Cluster?.ClusterId);
                db.ReviewCases.Add(review);
                openCases[application.Id] = review;
                if (record.Cluster is { } cluster) clusters[cluster.ClusterId] = cluster;
                break;
            case ApplicationStatus.Rejected:
                application.MarkRejected(at);
                break;
            case ApplicationStatus.Duplicate:
                application.MarkDuplicate(at);
                break;
            default:
                application.MarkUnmatched(at);
                break;
        }
        return new IntakeOutcome(IntakeDisposition.Created, application.Id, application.Status, routedTo);
    }

    /// <summary>Books the allocation the engine drew: the delivery in the ledger (earning only under CPL), the usage of cap and budget.</summary>
    private static RoutedTo Route(LoanHubDbContext db, LoanApplication application, DecisionRecord record, EngineState current, DateTimeOffset at, DateOnly today)
    {
        var winner = record.Allocation!.Winner!;
        application.MarkRouted(winner.LenderId, at);
        var allocation = new Allocation(application.Id, winner.LenderId, winner.ProductId, application.SourceId, current.Strategy, at, today,
            record.Allocation.ExpectedCommission, System.Text.Json.JsonSerializer.Serialize(record.Allocation, EngineJson.Options));
        db.Allocations.Add(allocation);
        db.CommissionEntries.Add(new CommissionEntry(allocation, winner.Commission, CommissionEvent.Delivered, null, at));
        current.RecordAllocation(winner.ProductId, today, allocation.ExpectedCommission);
        current.Fraud.MarkRouted(application.IdentityHash, application.Id, at);
        return new RoutedTo(winner.LenderCode, winner.ProductCode);
    }

    /// <summary>
    /// A reviewer's decision on one or more cases (a whole ring at once): approved applications are routed
    /// now by the active policy, rejected ones are closed. Runs through the same writer as intake, so caps
    /// and budgets stay exact, and all cases are decided in one transaction or none is.
    /// </summary>
    public Task<IReadOnlyList<ReviewOutcome>> DecideReviewsAsync(IReadOnlyList<Guid> caseIds, bool approve, string reviewer, string note, CancellationToken cancellationToken) =>
        DecideReviewsAsync(caseIds, approve, reviewer, note, decidedAt: null, cancellationToken);

    /// <param name="decidedAt">When the decision counts as made; only the demo generator backdates it.</param>
    internal async Task<IReadOnlyList<ReviewOutcome>> DecideReviewsAsync(IReadOnlyList<Guid> caseIds, bool approve, string reviewer, string note,
        DateTimeOffset? decidedAt, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(note)) throw new DomainException("A decision needs a note.");
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = state ??= await LoadAsync(cancellationToken);
            try
            {
                var outcomes = await DecideReviewsAsync(caseIds, approve, reviewer, note, decidedAt ?? clock.GetUtcNow(), current, cancellationToken);
                NotifyCommitted();
                return outcomes;
            }
            catch
            {
                state = null; // decisions made in memory before the failure never committed
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IReadOnlyList<ReviewOutcome>> DecideReviewsAsync(IReadOnlyList<Guid> caseIds, bool approve, string reviewer, string note,
        DateTimeOffset at, EngineState current, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cases = await db.ReviewCases.Where(r => caseIds.Contains(r.Id)).ToListAsync(cancellationToken);
        if (cases.Count != caseIds.Distinct().Count()) throw new DomainException("A case to decide no longer exists.");
        var applicationIds = cases.Select(c => c.ApplicationId).ToList();
        var applications = await db.Applications.Where(a => applicationIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var records = await db.Assessments.AsNoTracking().Where(a => applicationIds.Contains(a.ApplicationId))
            .ToDictionaryAsync(a => a.ApplicationId, a => a.DecisionRecordJson, cancellationToken);
        var today = BusinessDay.Of(at);
        var audit = new AuditTrail(db, reviewer, at);
        var outcomes = new List<ReviewOutcome>();

        foreach (var review in cases.OrderBy(c => c.OpenedAt))
        {
            var application = applications[review.ApplicationId];
            var before = new { review.Status, Application = application.Status };
            if (!approve)
            {
                review.Reject(reviewer, note, at);
                application.MarkRejected(at);
                outcomes.Add(new ReviewOutcome(review.Id, application.Id, application.Status, null));
            }
            else
            {
                review.Approve(reviewer, note, at);
                var released = engine.RouteAfterReview(DecisionRecord.FromJson(records[application.Id]), ApplicantProfile.From(application.Applicant),
                    current.OffersOn(today), current.Strategy, current.RoundRobin, today);
                RoutedTo? routedTo = null;
                if (released.Status == ApplicationStatus.Routed) routedTo = Route(db, application, released, current, at, today);
                else application.MarkUnmatched(at);
                outcomes.Add(new ReviewOutcome(review.Id, application.Id, application.Status, routedTo));
            }
            audit.Record("Review", approve ? "Review approved" : "Review rejected", nameof(ReviewCase), review.Id.ToString(),
                before, new { review.Status, Application = application.Status, Note = note, outcomes[^1].RoutedTo });
        }
        await db.SaveChangesAsync(cancellationToken);
        return outcomes;
    }

    // Members of a ring that were already waiting for review join it, so a reviewer sees and decides the ring whole.
    private static async Task JoinRingsAsync(LoanHubDbContext db, IEnumerable<FraudCluster> clusters, Dictionary<ApplicationId, ReviewCase> openCases, CancellationToken cancellationToken)
    {
        foreach (var cluster in clusters)
        {
            var members = cluster.Members.Select(m => m.ApplicationId).ToList();
            var stored = await db.ReviewCases
                .Where(r => members.Contains(r.ApplicationId) && (r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed))
                .ToListAsync(cancellationToken);
            foreach (var review in stored.Concat(members.Where(openCases.ContainsKey).Select(m => openCases[m])))
            {
                if (review.ClusterId != cluster.ClusterId) review.JoinCluster(cluster.ClusterId);
            }
        }
    }

    private sealed record Previous(string RequestHash, IntakeOutcome Outcome);

    private static async Task<Dictionary<(SourceId, string), Previous>> FindPreviousAsync(LoanHubDbContext db, IReadOnlyList<IntakeCommand> batch, CancellationToken cancellationToken)
    {
        var refs = batch.Select(c => c.Intake.ExternalRef).Distinct().ToList();
        var sources = batch.Select(c => c.SourceId).Distinct().ToList();
        var found = await db.Applications.AsNoTracking()
            .Where(a => refs.Contains(a.ExternalRef) && sources.Contains(a.SourceId))
            .Select(a => new { a.Id, a.SourceId, a.ExternalRef, a.RequestHash })
            .ToListAsync(cancellationToken);
        if (found.Count == 0) return [];

        var ids = found.Select(f => f.Id).ToList();
        var records = await db.Assessments.AsNoTracking().Where(x => ids.Contains(x.ApplicationId))
            .Select(x => new { x.ApplicationId, x.DecisionRecordJson }).ToDictionaryAsync(x => x.ApplicationId, x => x.DecisionRecordJson, cancellationToken);
        return found.ToDictionary(f => (f.SourceId, f.ExternalRef), f =>
        {
            // The original answer is the intake decision, whatever happened to the application since.
            var record = DecisionRecord.FromJson(records[f.Id]);
            var routed = record.RoutedTo;
            return new Previous(f.RequestHash, new IntakeOutcome(IntakeDisposition.Replayed, f.Id, record.Status,
                routed is null ? null : new RoutedTo(routed.LenderCode, routed.ProductCode)));
        });
    }

    private async Task<EngineState> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        var products = lenders.SelectMany(l => l.Products.Select(p => ProductSnapshot.Of(l, p))).ToList();
        var strategy = await db.RoutingPolicies.AsNoTracking().Where(p => p.IsActive).OrderByDescending(p => p.Version)
            .Select(p => (RoutingStrategy?)p.Strategy).FirstOrDefaultAsync(cancellationToken) ?? RoutingStrategy.Weighted;
        var loaded = new EngineState(new FraudIndex(fraudPolicy), products, strategy);

        var since = clock.GetUtcNow() - FraudHistory;
        var history = db.Applications.AsNoTracking().Where(a => a.ReceivedAt >= since).OrderBy(a => a.ReceivedAt)
            .Select(a => new { a.Id, a.IdentityHash, a.PhoneHash, a.Applicant.DeviceId, a.Applicant.IpAddress, a.ReceivedAt, a.Status, a.DecidedAt })
            .AsAsyncEnumerable();
        var count = 0;
        await foreach (var a in history.WithCancellation(cancellationToken))
        {
            loaded.Fraud.Add(new ApplicationFingerprint(a.Id, a.IdentityHash, a.PhoneHash, a.DeviceId, a.IpAddress, a.ReceivedAt));
            if (a.Status == ApplicationStatus.Routed) loaded.Fraud.MarkRouted(a.IdentityHash, a.Id, a.DecidedAt ?? a.ReceivedAt);
            count++;
        }

        var fromMonth = BusinessDay.MonthOf(BusinessDay.Of(clock.GetUtcNow())).AddMonths(-1);
        var usage = await db.Allocations.AsNoTracking().Where(a => a.BusinessDay >= fromMonth)
            .Select(a => new { a.ProductId, a.BusinessDay, a.ExpectedCommission })
            .ToListAsync(cancellationToken);
        foreach (var allocation in usage) loaded.RecordAllocation(allocation.ProductId, allocation.BusinessDay, allocation.ExpectedCommission);

        logger.LogInformation("Engine state loaded: {Products} products, strategy {Strategy}, {Applications} applications of fraud history, {Allocations} allocations this and last month.",
            products.Count, strategy, count, usage.Count);
        return loaded;
    }
}
