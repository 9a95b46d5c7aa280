using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Blocklists;
using LoanHub.Web.Features.Cluster;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// The one writer of decisions. Intake requests and lenders' answers queue here; the writer takes what has queued
/// (up to <see cref="MaxBatch"/>), decides each in order against the in-memory <see cref="EngineState"/>, and
/// commits the whole group in one transaction before answering any of them or sending anything to a lender.
/// Concurrent requests thus share a commit while caps, budgets, duplicates and rings are decided strictly one
/// after another. A lead for a push lender is placed in steps: the commit records the attempt (holding the
/// product's slot), the <see cref="DeliveryDispatcher"/> calls the lender outside the writer, and the answer comes
/// back here as a <see cref="DeliveryReport"/> that books the allocation or picks the next product
/// (ADR 0006). A failed commit answers the group with an error and rebuilds the state from the store.
/// </summary>
public sealed partial class EngineHost : BackgroundService
{
    private readonly IDbContextFactory<LoanHubDbContext> contexts;
    private readonly PersonalData personalData;
    private readonly DecisionEngine engine;
    private readonly EngineStateLoader loader;
    private readonly DeliveryDispatcher dispatcher;
    private readonly ActiveBlocklist blocklists;
    private readonly LearnedRatesBoard learned;
    private readonly TimeSpan deadline;
    private readonly TimeProvider clock;
    private readonly ILogger<EngineHost> logger;
    private readonly WriterTurns turns;
    private readonly ClusterSignals signals;

    internal EngineHost(IDbContextFactory<LoanHubDbContext> contexts, PersonalData personalData, DecisionEngine engine, EngineStateLoader loader,
        DeliveryDispatcher dispatcher, ActiveBlocklist blocklists, IntakeOptions options, DeliveryOptions deliveryOptions, TimeProvider clock, ILogger<EngineHost> logger,
        LearnedRatesBoard learned, WriterTurns turns, ClusterSignals signals, ClusterMembership membership)
    {
        membership.Beaten += () => queue.Writer.TryWrite(ClusterTick.Instance);
        this.turns = turns;
        this.signals = signals;
        signals.Received += OnSignal;
        this.blocklists = blocklists;
        this.learned = learned;
        this.contexts = contexts;
        this.personalData = personalData;
        this.engine = engine;
        this.loader = loader;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.logger = logger;
        MaxBatch = Math.Max(1, options.MaxBatch);
        queueLimit = Math.Max(1, options.QueueLimit);
        deadline = TimeSpan.FromMilliseconds(Math.Max(100, deliveryOptions.DeadlineMs));
        autoPause = new AutoPausePolicy(deliveryOptions.AutoPauseErrorRate, deliveryOptions.AutoPauseMinAttempts,
            TimeSpan.FromMinutes(Math.Max(1, deliveryOptions.HealthWindowMinutes)));
    }

    /// <summary>The account auto-pause and other automatic changes are audited as.</summary>
    public const string SystemActor = "system";

    private readonly AutoPausePolicy autoPause;
    // Each push lender's recent answers, for auto-pause; kept across state reloads, only touched under the gate.
    private readonly Dictionary<LenderId, FailureWindow> failures = [];

    /// <summary>The most applications committed in one transaction (<c>LoanHub:Intake:MaxBatch</c>).</summary>
    public int MaxBatch { get; }
    /// <summary>How far back the fraud index looks for duplicates and rings; personal data must outlive it.</summary>
    internal static TimeSpan FraudHistory => EngineStateLoader.FraudHistory;

    // Lenders' answers must never be refused (each frees a held slot), so the channel itself is unbounded and intake
    // is bounded by counting the applications waiting in it.
    private readonly Channel<WriterWork> queue = Channel.CreateUnbounded<WriterWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int queueLimit;
    private int queuedIntakes;
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile EngineState? state;
    // Deliveries under way, by application; only touched under the gate.
    private readonly Dictionary<ApplicationId, Placement> placements = [];
    // Waiters of deliveries whose state was dropped after a failed commit, handed to the placement the reload resumes.
    private readonly Dictionary<ApplicationId, Placement> orphans = [];

    /// <summary>Queues one application and waits until its decision is committed and, for a push lender, its delivery has ended.</summary>
    /// <exception cref="WriterBusyException">More applications wait than <c>LoanHub:Intake:QueueLimit</c>: the source should retry shortly.</exception>
    public async Task<IntakeOutcome> SubmitAsync(IntakeCommand command, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref queuedIntakes) > queueLimit)
        {
            Interlocked.Decrement(ref queuedIntakes);
            throw new WriterBusyException(queueLimit);
        }
        try
        {
            Prepare(command);
            await queue.Writer.WriteAsync(command, cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref queuedIntakes);
            throw;
        }
        // The request's own lifetime bounds the wait: an aborted or timed-out request stops waiting; what the writer
        // decides for it is kept, and a resubmission of the same externalRef gets that answer.
        return await command.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Raised after each committed group of decisions (intake, delivery or review), from the writer's thread. Handlers
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

    /// <summary>
    /// Catalog or policy changed: the next group reads the catalog again (a few rows) and swaps it in; the fraud
    /// history, usage and deliveries under way are kept.
    /// </summary>
    /// <summary>The products as the engine would offer them now: the catalog under the active routing policy, read from the store.</summary>
    public async Task<IReadOnlyList<ProductSnapshot>> CatalogProductsAsync(CancellationToken cancellationToken = default) =>
        (await loader.LoadCatalogAsync(cancellationToken)).Products;

    public void CatalogChanged()
    {
        Interlocked.Increment(ref catalogGeneration);
        signals.Publish(ClusterSignal.Catalog); // and the other instances'
    }

    // Another instance changed the catalog or committed decisions (this one's own signals come back too: harmless).
    private void OnSignal(ClusterSignal signal)
    {
        if (signal == ClusterSignal.Catalog) Interlocked.Increment(ref catalogGeneration);
        else if (signal == ClusterSignal.Decisions) NotifyCommitted();
    }

    // Moves on with every change; the writer compares it with the generation of the catalog it holds, read before
    // loading, so a change made while a load runs is never lost: the next group loads again.
    private int catalogGeneration;
    private int loadedCatalogGeneration;
    private DateTimeOffset nextPrune;

    /// <summary>How often the fraud index drops what no check can read any more.</summary>
    internal static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    /// <summary>How many times the whole state (history, usage, deliveries) was read from the store (for tests).</summary>
    internal int StateLoads { get; private set; }

    /// <summary>Deliveries under way right now (for tests and the benchmark).</summary>
    internal int PlacementsInFlight
    {
        get
        {
            gate.Wait();
            try { return placements.Count; }
            finally { gate.Release(); }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        try
        {
            // Deliveries left in flight by the last run are resumed at start, not at the first intake.
            await gate.WaitAsync(stoppingToken);
            var resumed = new WriterUnit();
            try
            {
                await CurrentStateAsync(resumed, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The first group tries again; the service keeps running and answers every caller.
                logger.LogError(e, "The engine state could not be loaded at start.");
            }
            finally
            {
                gate.Release();
            }
            resumed.Run(this);
            if (turns.Shared) queue.Writer.TryWrite(ClusterTick.Instance); // take over what is left in flight now, not at the first beat

            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<WriterWork>(MaxBatch);
                while (batch.Count < MaxBatch && reader.TryRead(out var work))
                {
                    batch.Add(work);
                    if (work is IntakeCommand) Interlocked.Decrement(ref queuedIntakes);
                }
                await ProcessAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            dispatcher.Stop();
            while (reader.TryRead(out var left))
            {
                if (left is IntakeCommand command) command.Completion.TrySetCanceled(stoppingToken);
            }
        }
    }

    /// <summary>Decides and commits one group; also used directly by the demo generator before the host runs.</summary>
    internal async Task ProcessAsync(IReadOnlyList<WriterWork> batch, CancellationToken cancellationToken)
    {
        var unit = new WriterUnit();
        await gate.WaitAsync(cancellationToken);
        try
        {
            EngineState current;
            try
            {
                current = await CurrentStateAsync(unit, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Without a state nothing can be decided: the group is answered with the error, the answers of lenders
                // are dropped (their attempts are still in flight in the store, and the load that succeeds resumes
                // them), and the next group tries again.
                logger.LogError(e, "The engine state could not be loaded; {Count} intakes and delivery answers were refused.", batch.Count);
                foreach (var command in batch.OfType<IntakeCommand>()) command.Completion.TrySetException(e);
                return;
            }
            try
            {
                await DecideAndCommitAsync(batch, current, unit, cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A group of {Count} intakes and delivery answers could not be committed; none was acknowledged.", batch.Count);
                Abandon(unit, e);
                foreach (var command in batch.OfType<IntakeCommand>()) command.Completion.TrySetException(e);
                return;
            }
        }
        finally
        {
            gate.Release();
        }
        unit.Run(this);
        if (batch.Any(w => w is not ClusterTick)) NotifyCommitted();
    }

    // After a failed commit nothing in memory can be trusted: the state is rebuilt from the store, deliveries begun in
    // the failed group never existed, and the waiters of the others wait on for the deliveries the reload resumes.
    private void Abandon(WriterUnit unit, Exception error)
    {
        state = null;
        foreach (var placement in unit.Started) placement.Fail(error);
        foreach (var (id, placement) in placements.Concat(unit.Ended))
        {
            if (!unit.Started.Contains(placement)) orphans[id] = placement;
        }
        placements.Clear();
    }

    /// <summary>
    /// Runs the deliveries under way to their end in rounds, before the host's loop runs: waits until every attempt
    /// sent has answered, then records the answers in intake order in one group, and so on. Only the demo generator
    /// uses it, so that its history goes through the same delivery code and still comes out the same every time.
    /// </summary>
    internal async Task SettleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int waiting;
            await gate.WaitAsync(cancellationToken);
            try { waiting = placements.Count; }
            finally { gate.Release(); }
            if (waiting == 0) return;
            // Each placement has one attempt out, so exactly one answer comes back for each.
            var reports = new List<DeliveryReport>(waiting);
            while (reports.Count < waiting)
            {
                await queue.Reader.WaitToReadAsync(cancellationToken);
                while (reports.Count < waiting && queue.Reader.TryRead(out var work))
                {
                    if (work is DeliveryReport report) reports.Add(report); // a membership beat may come between
                }
            }
            List<DeliveryReport> ordered;
            await gate.WaitAsync(cancellationToken);
            try
            {
                ordered = [.. reports.OrderBy(r => placements[r.ApplicationId].ReceivedAt).ThenBy(r => placements[r.ApplicationId].Applicant.NationalId, StringComparer.Ordinal)];
            }
            finally { gate.Release(); }
            await ProcessAsync(ordered, cancellationToken);
        }
    }

    private async Task<EngineState> CurrentStateAsync(WriterUnit unit, CancellationToken cancellationToken)
    {
        var current = await LoadedStateAsync(unit, cancellationToken);
        current.Rates = learned.Current; // a volatile read: the refresher swaps the snapshot, the writer never waits for it
        return current;
    }

    private async Task<EngineState> LoadedStateAsync(WriterUnit unit, CancellationToken cancellationToken)
    {
        var generation = Volatile.Read(ref catalogGeneration);
        if (state is { } current)
        {
            if (generation != loadedCatalogGeneration)
            {
                current.Catalog = await loader.LoadCatalogAsync(cancellationToken);
                loadedCatalogGeneration = generation;
                // New fraud thresholds apply in place; a window reaching back further than the index has kept reads the history
                // again (deliveries under way stay: the reload skips them and holds their slots again).
                if (!current.Fraud.TryUse(current.Catalog.Risk.Fraud)) state = null;
            }
            if (state is not null)
            {
                PruneWhenDue(current);
                return current;
            }
        }
        var (loaded, resumed) = await loader.LoadAsync(cancellationToken);
        StateLoads++;
        Resume(resumed, loaded, unit);
        // On a shared store the deliveries left in flight are taken over under the writer lock, by the next group.
        if (turns.Shared) takeOverDue = true;
        else FailOrphans();
        loadedCatalogGeneration = generation;
        nextPrune = clock.GetUtcNow() + PruneEvery;
        state = loaded;
        return loaded;
    }

    /// <summary>Deliveries left in flight, sent again from here; the waiters of those a failed commit dropped wait on them again.</summary>
    private void Resume(IReadOnlyList<Placement> resumed, EngineState current, WriterUnit unit)
    {
        foreach (var placement in resumed)
        {
            if (placements.ContainsKey(placement.ApplicationId)) continue;
            if (orphans.Remove(placement.ApplicationId, out var orphan)) placement.TakeWaitersFrom(orphan);
            placements[placement.ApplicationId] = placement;
            foreach (var (attempt, product) in placement.Pending.Values)
            {
                if (Job(placement, attempt, product, current, precheckOnly: true) is { } bid) unit.Dispatch(bid);
            }
            if (placement.Current is { } resumedAttempt && Job(placement, resumedAttempt.Attempt, resumedAttempt.Product, current) is { } job) unit.Dispatch(job);
        }
    }

    private void FailOrphans()
    {
        foreach (var orphan in orphans.Values) orphan.Fail(new InvalidOperationException("The delivery could not be resumed."));
        orphans.Clear();
    }

    // Duplicate, device and IP windows are days long; what has left all of them is dropped now and then, so the index
    // stays as large as its windows, not as the store.
    private void PruneWhenDue(EngineState current)
    {
        var now = clock.GetUtcNow();
        if (now < nextPrune) return;
        var dropped = current.Fraud.Prune(now);
        nextPrune = now + PruneEvery;
        if (dropped > 0) logger.LogInformation("Fraud index pruned: {Dropped} entries past their windows dropped.", dropped);
    }

    private async Task DecideAndCommitAsync(IReadOnlyList<WriterWork> batch, EngineState current, WriterUnit unit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Intake only adds; answers modify what they load. One scan for changes at each save is enough for both.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        unit.Db = db;
        // One transaction and one commit for the group; the applications are saved under a savepoint of their own.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        current = await TakeTurnAsync(db, current, unit, cancellationToken);
        if (turns.Shared && (takeOverDue || batch.Any(w => w is ClusterTick))) await TakeOverAsync(db, current, unit, cancellationToken);

        var reports = batch.OfType<DeliveryReport>().ToList();
        if (reports.Count > 0)
        {
            await ApplyReportsAsync(db, reports, current, unit, cancellationToken);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }

        var commands = batch.OfType<IntakeCommand>().ToList();
        if (commands.Count > 0) await DecideIntakeIsolatedAsync(db, transaction, commands, current, unit, cancellationToken);

        await turns.RecordAsync(db, current, current.Journal.End(), cancellationToken);
        if (reports.Count + commands.Count > 0) await signals.PublishWithAsync(db, ClusterSignal.Decisions, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        turns.Released(commands.Count);
    }

    /// <summary>
    /// On a store several instances share, takes the writer's turn in <paramref name="db"/>'s transaction: what the
    /// others committed since is applied first (or, no longer kept, the state is loaded again), then this group's
    /// changes are journaled for them (ADR 0013).
    /// </summary>
    private async Task<EngineState> TakeTurnAsync(LoanHubDbContext db, EngineState current, WriterUnit unit, CancellationToken cancellationToken)
    {
        if (!turns.Shared) return current;
        if (!await turns.TakeAsync(db, current, cancellationToken))
        {
            state = null;
            current = await CurrentStateAsync(unit, cancellationToken); // under the lock: the snapshot it loads is the latest
        }
        current.Journal.Begin();
        return current;
    }

    /// <summary>
    /// Decides and saves the group's applications together; when that fails, takes back what they changed in memory
    /// and decides them again one by one, so an application that cannot be stored fails alone — answered with its own
    /// error — while the others are committed and answered as usual, and nothing is reloaded.
    /// </summary>
    private async Task DecideIntakeIsolatedAsync(LoanHubDbContext db, IDbContextTransaction transaction, List<IntakeCommand> commands, EngineState current,
        WriterUnit unit, CancellationToken cancellationToken)
    {
        if (await TryDecideIntakeAsync(db, transaction, commands, current, unit, cancellationToken) is not { } failure) return;
        if (commands.Count == 1)
        {
            logger.LogError(failure, "Application {ExternalRef} could not be decided or stored; the rest of its group was not affected.", commands[0].Intake.ExternalRef);
            unit.Fail(commands[0], failure);
            return;
        }
        logger.LogWarning(failure, "A group of {Count} applications could not be stored together; deciding them one by one.", commands.Count);
        foreach (var command in commands) await DecideIntakeIsolatedAsync(db, transaction, [command], current, unit, cancellationToken);
    }

    // Null when the commands were decided and saved (inside the group's transaction) and their unit merged into the
    // group's; otherwise the error, with memory and the change tracker as they were before.
    private async Task<Exception?> TryDecideIntakeAsync(LoanHubDbContext db, IDbContextTransaction transaction, List<IntakeCommand> commands, EngineState current,
        WriterUnit unit, CancellationToken cancellationToken)
    {
        const string savepoint = "intake";
        var intake = new WriterUnit { Db = db };
        await transaction.CreateSavepointAsync(savepoint, cancellationToken);
        current.Undo.Open();
        var journaled = current.Journal.Count;
        try
        {
            await DecideIntakeAsync(db, commands, current, intake, cancellationToken);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            current.Undo.RollBack();
            current.Journal.TruncateTo(journaled);
            foreach (var placement in intake.Started) placements.Remove(placement.ApplicationId);
            // The group's answers saved before stay in the transaction; what is left tracked is this attempt's.
            db.ChangeTracker.Clear();
            await transaction.RollbackToSavepointAsync(savepoint, cancellationToken);
            return e;
        }
        current.Undo.Close();
        await transaction.ReleaseSavepointAsync(savepoint, cancellationToken);
        unit.Merge(intake);
        return null;
    }

    private async Task DecideIntakeAsync(LoanHubDbContext db, List<IntakeCommand> batch, EngineState current, WriterUnit unit, CancellationToken cancellationToken)
    {
        var previous = await FindPreviousAsync(db, batch, cancellationToken);
        var seenInBatch = new Dictionary<(SourceId, string), IntakeCommand>();
        var openCases = new Dictionary<ApplicationId, ReviewCase>();
        var clusters = new Dictionary<Guid, FraudCluster>();
        var stops = new BlocklistStops(await blocklists.CurrentAsync(cancellationToken), current.Fraud.Policy);

        foreach (var command in batch)
        {
            var key = (command.SourceId, command.Intake.ExternalRef);
            if (previous.TryGetValue(key, out var earlier))
            {
                if (earlier.RequestHash != command.RequestHash) unit.Answer(command, IntakeOutcome.Conflict(earlier.Outcome.ApplicationId));
                else if (earlier.Outcome.Status == ApplicationStatus.Received && UnderWay(earlier.Outcome.ApplicationId, unit) is { } underWay)
                    underWay.AddWaiter(WaiterFor(command, earlier.Outcome.ApplicationId, IntakeDisposition.Replayed));
                else unit.Answer(command, earlier.Outcome);
                continue;
            }
            if (seenInBatch.TryGetValue(key, out var first))
            {
                if (first.RequestHash != command.RequestHash) unit.Answer(command, IntakeOutcome.Conflict(first.ApplicationId!.Value));
                else unit.ReplayOf(first, command);
                continue;
            }
            seenInBatch[key] = command;
            Decide(db, command, current, stops, openCases, clusters, unit);
        }

        await JoinRingsAsync(db, clusters.Values, openCases, cancellationToken);
        await stops.SaveAsync(db, cancellationToken);
    }

    // A delivery still running, or one this very group ended: the store read before the group's commit still shows it running.
    private Placement? UnderWay(ApplicationId id, WriterUnit unit) =>
        placements.TryGetValue(id, out var placement) || unit.Ended.TryGetValue(id, out placement) ? placement : null;

    private void Decide(LoanHubDbContext db, IntakeCommand command, EngineState current, BlocklistStops stops,
        Dictionary<ApplicationId, ReviewCase> openCases, Dictionary<Guid, FraudCluster> clusters, WriterUnit unit)
    {
        var applicant = command.Intake.Applicant;
        var at = command.ReceivedAt;
        // Intake prepared it before queueing; the demo generator's history comes straight to the writer.
        var application = new LoanApplication(command.SourceId, command.Intake.ExternalRef, command.RequestHash, at, applicant,
            command.Intake.Consent, command.LookupHashes ?? Prepare(command));
        db.Applications.Add(application);
        command.ApplicationId = application.Id;

        var profile = ApplicantProfile.From(applicant);
        var fingerprint = new ApplicationFingerprint(application.Id, application.IdentityHash, application.PhoneHash, application.DeviceHash, application.IpHash, at);
        var findings = stops.Check(fingerprint, current.Fraud.Check(fingerprint, profile));
        if (current.IsBeingDelivered(application.IdentityHash) && !findings.IsDuplicate)
            findings = findings.With([BeingDelivered]);
        var today = BusinessDay.Of(at);
        var record = engine.WithPolicy(current.Catalog.Risk.Decision).Decide(profile, findings, current.OffersOn(today), current.Strategy, current.RoundRobin, today);
        current.AddToFraudHistory(fingerprint);
        application.RecordFraudSignals(findings.Signals.Count);

        var assessment = new RiskAssessment(application.Id, record.ScorecardVersion, record.Score, record.Tier,
            record.ReasonCodes, record.SignalCodes, record.Decision, record.ToJson(), at, current.Catalog.VersionId, profile.AgeOn(today));
        db.Assessments.Add(assessment);

        switch (record.Status)
        {
            case ApplicationStatus.Routed:
            case ApplicationStatus.Unmatched:
                var placement = new Placement(application.Id, command.SourceId, record, applicant, command.Intake.Consent, at, Stopwatch.GetTimestamp())
                {
                    TimeShift = at - clock.GetUtcNow(),
                    Unhurried = command.Unhurried,
                };
                placement.AddWaiter(WaiterFor(command, application.Id, IntakeDisposition.Created));
                unit.Started.Add(placement);
                Place(new Placing(application, assessment, placement), record, current, at, unit);
                return;
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
            default:
                application.MarkDuplicate(at);
                break;
        }
        unit.Answer(command, new IntakeOutcome(IntakeDisposition.Created, application.Id, application.Status, null));
    }

    /// <summary>The signal of an applicant whose national ID is in delivery to a lender at this moment.</summary>
    internal static readonly FraudSignal BeingDelivered =
        new(FraudSignal.Duplicate, SignalSeverity.Duplicate, "The same national ID is being delivered to a lender now.");

    /// <summary>
    /// What an application needs that depends on no shared state — its look-up hashes, its personal data encrypted for
    /// the store — done on the caller's thread, so that the one writer spends its time only on what must be serial.
    /// </summary>
    private LookupHashes Prepare(IntakeCommand command)
    {
        var applicant = command.Intake.Applicant;
        foreach (var value in (string[])[applicant.FullName, applicant.NationalId, applicant.Phone, applicant.DeviceId, applicant.IpAddress])
            personalData.ProtectAhead(value);
        command.LookupHashes = new LookupHashes(personalData.LookupHash(applicant.NationalId), personalData.LookupHash(applicant.Phone),
            personalData.LookupHash(applicant.DeviceId), personalData.LookupHash(applicant.IpAddress));
        return command.LookupHashes;
    }

    private static Action<Placed> WaiterFor(IntakeCommand command, ApplicationId id, IntakeDisposition disposition) => placed =>
    {
        if (placed.Error is { } error) command.Completion.TrySetException(error);
        else command.Completion.TrySetResult(new IntakeOutcome(disposition, id, placed.Status, placed.RoutedTo));
    };

    /// <summary>The tracked rows a placement changes when it ends, and the placement itself.</summary>
    private sealed record Placing(LoanApplication Application, RiskAssessment Assessment, Placement Placement);

    /// <summary>
    /// Acts on one draw of the engine: a pull lender's product takes the lead at once; a push lender's gets an attempt,
    /// recorded now and sent after the commit, its slot held meanwhile; no product ends the delivery unmatched.
    /// </summary>
    private void Place(Placing placing, DecisionRecord drawn, EngineState current, DateTimeOffset at, WriterUnit unit)
    {
        var placement = placing.Placement;
        placement.Application = placing.Application;
        placement.Assessment = placing.Assessment;
        placement.Latest = drawn;
        if (drawn.RoutedTo is not { } winner)
        {
            End(placing, ApplicationStatus.Unmatched, placement.Attempts == 0 ? UnmatchedCause.NoEligibleProduct : UnmatchedCause.RefusedByAll, null, at, unit);
            return;
        }
        if (current.Strategy == RoutingStrategy.Auction && !placement.Auctioned)
        {
            StartAuction(placing, drawn, current, at, unit);
            return;
        }
        var day = BusinessDay.Of(at);
        if (!current.Endpoints.TryGetValue(winner.LenderId, out var endpoint))
        {
            var allocation = Book(unit.Db!, placing.Application, winner, drawn.Allocation!, current, at, day, accepted: null);
            End(placing, ApplicationStatus.Routed, null, RoutedOf(winner, allocation), at, unit);
            return;
        }
        placement.Competitors ??= drawn.Allocation!.Pick?.Participants;
        var attempt = new DeliveryAttempt(placement.ApplicationId, winner.LenderId, winner.ProductId, ++placement.Attempts,
            endpoint.PrecheckUrl is not null, drawn.Allocation!.ExpectedCommission, at);
        if (turns.Shared) attempt.SendFrom(turns.Instance);
        unit.Db!.DeliveryAttempts.Add(attempt);
        current.RecordAllocation(winner.ProductId, day, attempt.ExpectedCommission);
        placement.Current = new InFlightAttempt(attempt, winner, drawn.Allocation, day);
        placements[placement.ApplicationId] = placement;
        CountUnderWay(placing, current);
        if (Job(placement, attempt, winner, current) is { } job) unit.Dispatch(job);
    }

    private static void CountUnderWay(Placing placing, EngineState current)
    {
        if (placing.Placement.CountedUnderWay) return;
        current.DeliveryUnderWay(placing.Application.IdentityHash, 1);
        placing.Placement.CountedUnderWay = true;
    }

    /// <summary>What to send for an attempt: both calls, the pre-check alone (an auction's bid) or the post alone (its winner).</summary>
    private DeliveryJob? Job(Placement placement, DeliveryAttempt attempt, ProductSnapshot product, EngineState current, bool precheckOnly = false, bool postOnly = false)
    {
        if (!current.Endpoints.TryGetValue(attempt.LenderId, out var endpoint))
        {
            // The lender stopped being a push lender while this attempt waited (only after a restart): nothing to send to.
            Enqueue(new DeliveryReport(attempt.Id, attempt.ApplicationId, null, null, "The lender has no delivery endpoint any more."));
            return null;
        }
        var deliveryId = attempt.Id.ToString();
        return new DeliveryJob(attempt.Id, attempt.ApplicationId, endpoint,
            attempt.WithPrecheck && !postOnly ? LeadPayloads.Precheck(attempt.Id, product.ProductCode, placement.Applicant, placement.Scored) : null,
            LeadPayloads.Post(deliveryId, placement.ApplicationId, product.ProductCode, placement.Applicant, placement.Consent, placement.ReceivedAt, placement.Scored),
            placement.Remaining(deadline), precheckOnly, placement.Unhurried);
    }

    private void Enqueue(DeliveryReport report)
    {
        if (!queue.Writer.TryWrite(report)) logger.LogError("The writer's queue refused the answer to attempt {AttemptId}.", report.AttemptId);
    }

    internal ValueTask ReportAsync(DeliveryReport report) => queue.Writer.WriteAsync(report);

    private async Task ApplyReportsAsync(LoanHubDbContext db, List<DeliveryReport> reports, EngineState current, WriterUnit unit, CancellationToken cancellationToken)
    {
        // An answer counts only for the attempt its placement waits on; anything else is late or doubled (a resumed
        // attempt answered twice) and is dropped.
        var live = reports.Where(r => placements.TryGetValue(r.ApplicationId, out var p) && (p.Current?.Attempt.Id == r.AttemptId || p.Pending.ContainsKey(r.AttemptId)))
            .GroupBy(r => r.AttemptId).Select(g => g.First()).ToList();
        if (live.Count == 0) return;
        foreach (var report in live)
        {
            var placement = placements[report.ApplicationId];
            unit.Track(placement.Application!);
            unit.Track(placement.Assessment!);
        }

        foreach (var report in live)
        {
            var placement = placements[report.ApplicationId];
            var now = clock.GetUtcNow() + placement.TimeShift;
            var attempt = placement.Pending.TryGetValue(report.AttemptId, out var pending) ? pending.Attempt : placement.Current!.Attempt;
            if (!attempt.IsInFlight) continue;
            unit.Track(attempt);
            var placing = new Placing(placement.Application!, placement.Assessment!, placement);
            if (placement.Pending.Remove(report.AttemptId, out var bidder))
            {
                report.ApplyTo(attempt, now);
                await WatchHealthAsync(db, attempt, current, now, unit, cancellationToken);
                ApplyBid(placing, attempt, bidder, current, now, unit);
                continue;
            }
            var inFlight = placement.Current!;
            report.ApplyTo(attempt, now);
            placement.Current = null;
            await WatchHealthAsync(db, attempt, current, now, unit, cancellationToken);

            if (attempt.Outcome == AttemptOutcome.Accepted)
            {
                var allocation = Book(db, placing.Application, inFlight.Product, inFlight.Allocation ?? placement.Latest?.Allocation!, current, now, inFlight.Day, attempt);
                End(placing, ApplicationStatus.Routed, null, RoutedOf(inFlight.Product, allocation), now, unit);
                continue;
            }

            current.ReleaseHold(inFlight.Product.ProductId, inFlight.Day, attempt.ExpectedCommission);
            if (inFlight.Allocation?.Pick is { } pick) current.RoundRobin.Undo(pick);
            placement.Exclude(attempt);
            if (placement.DeadlinePassed(deadline))
            {
                End(placing, ApplicationStatus.Unmatched, UnmatchedCause.Deadline, null, now, unit);
                continue;
            }
            if (placement.Auctioned)
            {
                Award(placing, current, now, unit); // the next best price
                continue;
            }
            var today = BusinessDay.Of(now);
            var offers = current.OffersOn(today).Where(o => placement.Allows(o.Product)).ToList();
            var drawn = engine.Reallocate(placement.Scored, ApplicantProfile.From(placement.Applicant), offers, current.Strategy, current.RoundRobin, today);
            if (drawn.Allocation?.Pick is { } fallThrough && placement.Competitors is { } competitors)
                drawn = drawn with { Allocation = drawn.Allocation with { Pick = current.RoundRobin.Charge(fallThrough, competitors) } };
            Place(placing, drawn, current, now, unit);
        }
    }

    /// <summary>
    /// Counts the answer towards its lender's health; when timeouts and errors reach the limit the lender is paused —
    /// by the system, audited with the reason — and the engine reloads its catalog after the commit. An operator resumes it.
    /// </summary>
    private async Task WatchHealthAsync(LoanHubDbContext db, DeliveryAttempt attempt, EngineState current, DateTimeOffset now, WriterUnit unit,
        CancellationToken cancellationToken)
    {
        if (attempt.Outcome == AttemptOutcome.Abandoned) return;
        if (!failures.TryGetValue(attempt.LenderId, out var window)) failures[attempt.LenderId] = window = new FailureWindow(autoPause);
        window.Add(AttemptSample.Of(attempt));
        if (!window.IsBreached || unit.Paused.Contains(attempt.LenderId)) return;
        var lender = await db.Lenders.SingleAsync(l => l.Id == attempt.LenderId, cancellationToken);
        if (!lender.IsActive) return;
        var reason = window.Reason;
        lender.PauseAutomatically(reason);
        new AuditTrail(db, SystemActor, now).Record("Lenders", "Lender auto-paused", nameof(Lender), lender.Code,
            before: new { Active = true }, after: new { Active = false, Reason = reason });
        logger.LogWarning("Lender {Lender}: {Reason}", lender.Code, reason);
        window.Clear(); // resumed, it starts afresh
        unit.Paused.Add(attempt.LenderId);
        unit.AfterCommit(CatalogChanged);
    }

    /// <summary>Books the lead <paramref name="winner"/> took: the allocation, its delivery in the ledger (earning only under CPL or Bid), the usage of cap and budget.</summary>
    private static Allocation Book(LoanHubDbContext db, LoanApplication application, ProductSnapshot winner, AllocationResult drawn, EngineState current,
        DateTimeOffset at, DateOnly day, DeliveryAttempt? accepted)
    {
        application.MarkRouted(winner.LenderId, at);
        var expected = accepted?.ExpectedCommission ?? drawn.ExpectedCommission;
        var allocation = new Allocation(application.Id, winner.LenderId, winner.ProductId, application.SourceId, current.Strategy, at, day,
            expected, winner.Commission, JsonSerializer.Serialize(drawn, EngineJson.Options), current.NextFeedSequence(), accepted);
        db.Allocations.Add(allocation);
        // A product sold at auction earns the price it won at: its lender's accepted bid, or its floor without a pre-check.
        var bid = winner.Commission.Model == CommissionModel.Bid ? accepted?.Price ?? expected : (decimal?)null;
        db.CommissionEntries.Add(new CommissionEntry(allocation, CommissionEvent.Delivered, null, at, bid));
        // A push lender's slot has been held since its attempt was recorded; a pull lender's is taken now.
        if (accepted is null) current.RecordAllocation(winner.ProductId, day, allocation.ExpectedCommission);
        current.MarkRouted(application.IdentityHash, application.Id, at);
        return allocation;
    }

    private static RoutedTo RoutedOf(ProductSnapshot product, Allocation allocation) =>
        new(product.LenderCode, product.ProductCode, allocation.LenderRef, allocation.RedirectUrl);

    private void End(Placing placing, ApplicationStatus status, UnmatchedCause? cause, RoutedTo? routedTo, DateTimeOffset at, WriterUnit unit)
    {
        var placement = placing.Placement;
        if (status == ApplicationStatus.Unmatched) placing.Application.MarkUnmatched(at, cause ?? UnmatchedCause.NoEligibleProduct);
        // The stored record changes only when the delivery drew again or ended otherwise than drawn.
        if (placement.Latest is { } latest && (!ReferenceEquals(latest, placement.Scored) || latest.Status != status))
            placing.Assessment.RecordPlacement((latest with { Status = status }).ToJson());
        CloseLostBids(placement, at, unit);
        if (placement.CountedUnderWay && state is { } current)
        {
            current.DeliveryUnderWay(placing.Application.IdentityHash, -1);
            placement.CountedUnderWay = false;
        }
        placements.Remove(placement.ApplicationId);
        unit.Ended[placement.ApplicationId] = placement;
        unit.AfterCommit(() => placement.Complete(new Placed(status, routedTo)));
    }

    /// <summary>
    /// A reviewer's decision on one or more cases (a whole ring at once): approved applications are placed now by the
    /// active policy — delivered to push lenders like intake — and rejected ones are closed. Runs through the same writer
    /// as intake, so caps and budgets stay exact; all cases are decided in one transaction or none is, and the answer
    /// comes once every approved application's delivery has ended.
    /// </summary>
    public Task<IReadOnlyList<ReviewOutcome>> DecideReviewsAsync(IReadOnlyList<Guid> caseIds, bool approve, string reviewer, string note, CancellationToken cancellationToken) =>
        DecideReviewsAsync(caseIds, approve, reviewer, note, block: null, decidedAt: null, cancellationToken);

    /// <param name="block">On a rejection, the keys of the rejected applicants to put on the blocklist, in the same transaction.</param>
    public Task<IReadOnlyList<ReviewOutcome>> DecideReviewsAsync(IReadOnlyList<Guid> caseIds, bool approve, string reviewer, string note, BlockRequest? block,
        CancellationToken cancellationToken) =>
        DecideReviewsAsync(caseIds, approve, reviewer, note, block, decidedAt: null, cancellationToken);

    /// <param name="decidedAt">When the decision counts as made; only the demo generator backdates it.</param>
    internal async Task<IReadOnlyList<ReviewOutcome>> DecideReviewsAsync(IReadOnlyList<Guid> caseIds, bool approve, string reviewer, string note,
        BlockRequest? block, DateTimeOffset? decidedAt, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(note)) throw new DomainException("A decision needs a note.");
        var unit = new WriterUnit();
        List<Task<ReviewOutcome>> outcomes;
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = await CurrentStateAsync(unit, cancellationToken);
            try
            {
                // Only the demo generator backdates a decision; nobody waits on those deliveries.
                outcomes = await DecideReviewsAsync(caseIds, approve, approve ? null : block, reviewer, note, decidedAt ?? clock.GetUtcNow(),
                    unhurried: decidedAt is not null, current, unit, cancellationToken);
            }
            catch (Exception e)
            {
                Abandon(unit, e);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
        unit.Run(this);
        NotifyCommitted();
        return await Task.WhenAll(outcomes).WaitAsync(cancellationToken);
    }

    private async Task<List<Task<ReviewOutcome>>> DecideReviewsAsync(IReadOnlyList<Guid> caseIds, bool approve, BlockRequest? block, string reviewer, string note,
        DateTimeOffset at, bool unhurried, EngineState current, WriterUnit unit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        unit.Db = db;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        current = await TakeTurnAsync(db, current, unit, cancellationToken);
        var cases = await db.ReviewCases.Where(r => caseIds.Contains(r.Id)).ToListAsync(cancellationToken);
        if (cases.Count != caseIds.Distinct().Count()) throw new DomainException("A case to decide no longer exists.");
        var applicationIds = cases.Select(c => c.ApplicationId).ToList();
        var applications = await db.Applications.Where(a => applicationIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var assessments = await db.Assessments.Where(a => applicationIds.Contains(a.ApplicationId)).ToDictionaryAsync(a => a.ApplicationId, cancellationToken);
        var today = BusinessDay.Of(at);
        var audit = new AuditTrail(db, reviewer, at);
        var outcomes = new List<Task<ReviewOutcome>>();

        foreach (var review in cases.OrderBy(c => c.OpenedAt))
        {
            var application = applications[review.ApplicationId];
            var before = new { review.Status, Application = application.Status };
            if (!approve)
            {
                review.Reject(reviewer, note, at);
                application.MarkRejected(at);
                outcomes.Add(Task.FromResult(new ReviewOutcome(review.Id, application.Id, application.Status, null)));
                audit.Record("Review", "Review rejected", nameof(ReviewCase), review.Id.ToString(), before, new { review.Status, Application = application.Status, Note = note });
                continue;
            }
            review.Approve(reviewer, note, at);
            var assessment = assessments[application.Id];
            var released = engine.RouteAfterReview(DecisionRecord.FromJson(assessment.DecisionRecordJson), ApplicantProfile.From(application.Applicant),
                current.OffersOn(today), current.Strategy, current.RoundRobin, today);
            var placement = new Placement(application.Id, application.SourceId, released, application.Applicant, application.Consent, application.ReceivedAt, Stopwatch.GetTimestamp())
            {
                TimeShift = at - clock.GetUtcNow(),
                Unhurried = unhurried,
            };
            var placed = new TaskCompletionSource<ReviewOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var caseId = review.Id;
            placement.AddWaiter(p =>
            {
                if (p.Error is { } error) placed.TrySetException(error);
                else placed.TrySetResult(new ReviewOutcome(caseId, application.Id, p.Status, p.RoutedTo));
            });
            unit.Started.Add(placement);
            Place(new Placing(application, assessment, placement), released, current, at, unit);
            outcomes.Add(placed.Task);
            // The audit records the release; where the lead landed is on its timeline (delivery attempts, allocation).
            audit.Record("Review", "Review approved", nameof(ReviewCase), review.Id.ToString(), before, new { review.Status, Note = note });
        }
        var blocked = block is not null && await BlockAsync(db, block, [.. cases.Select(c => (c, applications[c.ApplicationId]))], reviewer, note, at, audit, cancellationToken);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        await turns.RecordAsync(db, current, current.Journal.End(), cancellationToken);
        await signals.PublishWithAsync(db, ClusterSignal.Decisions, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        turns.Released(0);
        // Still under the gate: the next group of intake, whoever's, matches the new keys.
        if (blocked) blocklists.Changed();
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
            .Select(a => new { a.Id, a.SourceId, a.ExternalRef, a.RequestHash, a.Status })
            .ToListAsync(cancellationToken);
        if (found.Count == 0) return [];

        var ids = found.Select(f => f.Id).ToList();
        var records = await db.Assessments.AsNoTracking().Where(x => ids.Contains(x.ApplicationId))
            .Select(x => new { x.ApplicationId, x.DecisionRecordJson }).ToDictionaryAsync(x => x.ApplicationId, x => x.DecisionRecordJson, cancellationToken);
        var delivered = await db.Allocations.AsNoTracking().Where(a => ids.Contains(a.ApplicationId))
            .Select(a => new { a.ApplicationId, a.LenderRef, a.RedirectUrl }).ToDictionaryAsync(a => a.ApplicationId, cancellationToken);
        return found.ToDictionary(f => (f.SourceId, f.ExternalRef), f =>
        {
            // The original answer is the intake decision, whatever a reviewer or a lender did with the application since;
            // for a routed decision that answer is where its delivery ended, given once it has.
            var record = DecisionRecord.FromJson(records[f.Id]);
            if (record.ReleasedFromReview) return new Previous(f.RequestHash, new IntakeOutcome(IntakeDisposition.Replayed, f.Id, ApplicationStatus.InReview, null));
            if (f.Status == ApplicationStatus.Received) return new Previous(f.RequestHash, new IntakeOutcome(IntakeDisposition.Replayed, f.Id, ApplicationStatus.Received, null));
            var routed = record.RoutedTo;
            var allocation = delivered.GetValueOrDefault(f.Id);
            return new Previous(f.RequestHash, new IntakeOutcome(IntakeDisposition.Replayed, f.Id, record.Status,
                routed is null ? null : new RoutedTo(routed.LenderCode, routed.ProductCode, allocation?.LenderRef, allocation?.RedirectUrl)));
        });
    }

    /// <summary>
    /// What one group of work does once its commit has succeeded: answers to give, attempts to send. Nothing leaves
    /// the writer before the commit, so nothing is acknowledged or sent that the store does not hold.
    /// </summary>
    private sealed class WriterUnit
    {
        private readonly List<Action> afterCommit = [];
        private readonly List<DeliveryJob> jobs = [];
        private readonly Dictionary<IntakeCommand, List<IntakeCommand>> replays = [];

        public LoanHubDbContext? Db { get; set; }
        private readonly HashSet<object> tracked = new(ReferenceEqualityComparer.Instance);

        /// <summary>
        /// Attaches a row this writer committed earlier (kept in memory with the placement) as it stands in the store, so
        /// the group updates it — version checked, daily counts kept — without reading it again.
        /// </summary>
        public void Track(object entity)
        {
            if (tracked.Add(entity)) Db!.Attach(entity);
        }
        /// <summary>Deliveries begun in this group; they vanish with it if its commit fails.</summary>
        public HashSet<Placement> Started { get; } = [];
        /// <summary>Deliveries this group ends; their waiters are answered after its commit.</summary>
        public Dictionary<ApplicationId, Placement> Ended { get; } = [];
        /// <summary>Lenders this group pauses automatically.</summary>
        public HashSet<LenderId> Paused { get; } = [];

        public void Answer(IntakeCommand command, IntakeOutcome outcome) => afterCommit.Add(() => command.Completion.TrySetResult(outcome));

        /// <summary>An application that could not be stored: answered with its error once the rest of the group is committed.</summary>
        public void Fail(IntakeCommand command, Exception error) => afterCommit.Add(() => command.Completion.TrySetException(error));

        /// <summary>Takes on what a part of the group, saved within the group's transaction, does after the commit.</summary>
        public void Merge(WriterUnit part)
        {
            afterCommit.AddRange(part.afterCommit);
            jobs.AddRange(part.jobs);
            foreach (var (first, again) in part.replays) replays[first] = again;
            Started.UnionWith(part.Started);
            foreach (var (id, placement) in part.Ended) Ended[id] = placement;
            Paused.UnionWith(part.Paused);
        }

        /// <summary>The same body twice in one group: the second gets the first's answer, when it comes.</summary>
        public void ReplayOf(IntakeCommand first, IntakeCommand again)
        {
            if (!replays.TryGetValue(first, out var list))
            {
                replays[first] = list = [];
                _ = first.Completion.Task.ContinueWith(t =>
                {
                    foreach (var command in list)
                    {
                        if (t.IsCompletedSuccessfully) command.Completion.TrySetResult(t.Result with { Disposition = IntakeDisposition.Replayed });
                        else command.Completion.TrySetException(t.Exception?.InnerExceptions ?? [new OperationCanceledException()]);
                    }
                }, TaskScheduler.Default);
            }
            list.Add(again);
        }

        public void AfterCommit(Action action) => afterCommit.Add(action);

        public void Dispatch(DeliveryJob job) => jobs.Add(job);

        public void Run(EngineHost host)
        {
            foreach (var action in afterCommit) action();
            foreach (var job in jobs) host.dispatcher.Dispatch(job, host.ReportAsync);
        }
    }
}
