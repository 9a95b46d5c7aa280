using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Features.Retention;

/// <summary><c>LoanHub:Retention</c>: how long personal data is kept after an application is received.</summary>
public sealed class RetentionOptions
{
    public const string Section = "LoanHub:Retention";

    /// <summary>
    /// Days after receipt until name, national ID, phone, device and IP are erased, and after which a case still
    /// waiting for a reviewer is closed as expired. At least the fraud look-back (180 days) plus one.
    /// </summary>
    public int PersonalDataDays { get; set; } = 365;

    /// <summary>How often the erasure runs; it also runs once shortly after start.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    public static int MinimumDays => (int)EngineHost.FraudHistory.TotalDays + 1;
}

/// <summary>
/// PIPL asks that personal information be kept no longer than its purpose needs. Once an application is older than
/// <see cref="RetentionOptions.PersonalDataDays"/>, what identifies the applicant is erased: name, national ID, phone,
/// device, IP address, their look-up hashes, the hash of the posted body and the source's reference. A case still
/// waiting for a reviewer by then is closed first (rejected as expired, by the system), so nothing is kept for ever.
/// </summary>
/// <remarks>
/// Erasure is set-based SQL over batches of ids: no row is loaded or decrypted, so one row that no longer decrypts
/// cannot hold the rest back. It changes none of the columns the daily counters count (status, day, source, signals),
/// so bypassing <c>SaveChanges</c> leaves the dashboard right. The erasing connection runs with SQLite's
/// <c>secure_delete</c> (a per-connection setting) and the run ends with a truncating checkpoint, so the old values
/// linger neither in free space of the file nor in the write-ahead log. PostgreSQL has neither setting: there the old
/// values stay in dead row versions until vacuum reclaims them and in the WAL until it is recycled (ADR 0012).
/// </remarks>
public sealed class PersonalDataRetention(
    IDbContextFactory<LoanHubDbContext> contexts,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<PersonalDataRetention> logger)
{
    internal const int BatchSize = 500;
    public const string Actor = EngineHost.SystemActor;
    public const string ExpiredNote = "Expired: not decided within the personal data retention period.";
    private readonly SemaphoreSlim oneRunAtATime = new(1, 1);

    /// <summary>Closes the expired review cases and erases every application due now (one run at a time); returns how many this run erased.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await oneRunAtATime.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            var cutoff = now.AddDays(-options.Value.PersonalDataDays);
            await CloseExpiredReviewsAsync(cutoff, now, cancellationToken);
            return await EraseDueAsync(cutoff, now, cancellationToken);
        }
        finally
        {
            oneRunAtATime.Release();
        }
    }

    /// <summary>
    /// Rejects, as expired, the cases of applications received before <paramref name="cutoff"/> that nobody decided.
    /// Through <c>SaveChanges</c>, so the counters follow the status; one application at a time, so one that no longer
    /// decrypts is logged and skipped rather than stopping the others.
    /// </summary>
    private async Task CloseExpiredReviewsAsync(DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var expired = await db.Applications.AsNoTracking()
            .Where(a => a.Status == ApplicationStatus.InReview && a.ReceivedAt < cutoff)
            .Join(db.ReviewCases.AsNoTracking().Where(r => r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed),
                a => a.Id, r => r.ApplicationId, (a, r) => r.Id)
            .ToListAsync(cancellationToken);
        if (expired.Count == 0) return;

        var closed = 0;
        foreach (var batch in expired.Chunk(BatchSize))
        {
            await using var unit = await contexts.CreateDbContextAsync(cancellationToken);
            var audit = new AuditTrail(unit, Actor, now);
            foreach (var caseId in batch)
            {
                try
                {
                    var review = await unit.ReviewCases.SingleAsync(r => r.Id == caseId, cancellationToken);
                    var application = await unit.Applications.SingleAsync(a => a.Id == review.ApplicationId, cancellationToken);
                    var before = new { review.Status, Application = application.Status };
                    review.Expire(Actor, ExpiredNote, now);
                    application.MarkRejected(now);
                    audit.Record("Review", "Review expired", nameof(ReviewCase), review.Id.ToString(), before,
                        new { review.Status, Application = application.Status, Note = ExpiredNote, ReceivedBefore = cutoff });
                    // Saved case by case: a case that fails discards only its own changes, never those of the cases before it.
                    await unit.SaveChangesAsync(cancellationToken);
                    closed++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    unit.ChangeTracker.Clear();
                    logger.LogError(e, "Retention: review case {Case} could not be closed as expired; it is tried again at the next run.", caseId);
                }
            }
        }
        logger.LogInformation("Retention: closed {Count} review cases left undecided past the retention period.", closed);
    }

    private async Task<int> EraseDueAsync(DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Deleted content is overwritten with zeros instead of being left in free space; SQLite keeps this per connection.
            if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete=ON;", cancellationToken);
            var erased = 0;
            for (var batch = 1; ; batch++)
            {
                var count = await EraseBatchAsync(db, cutoff, now, batch, cancellationToken);
                erased += count;
                if (count < BatchSize) break;
            }
            if (erased == 0) return 0;

            // The pages as they were before erasure live on in the write-ahead log until it is checkpointed and cut back.
            if (sqlite && !await CheckpointAsync(db, cancellationToken))
                logger.LogWarning("Retention: readers kept the write-ahead log from being truncated; erased values leave it at a later checkpoint.");
            logger.LogInformation("Retention: erased the personal data of {Count} applications received before {Cutoff:u}.", erased, cutoff);
            return erased;
        }
        finally
        {
            // The connection goes back to the pool; the next user gets SQLite's default.
            if (sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete=OFF;", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One transaction: up to <see cref="BatchSize"/> due applications erased and one audit entry saying so.</summary>
    private async Task<int> EraseBatchAsync(LoanHubDbContext db, DateTimeOffset cutoff, DateTimeOffset now, int batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // (PersonalDataErasedAt, ReceivedAt) index: the due applications are found without passing the erased ones.
        var ids = await db.Applications.AsNoTracking()
            .Where(a => a.PersonalDataErasedAt == null && a.ReceivedAt < cutoff
                && a.Status != ApplicationStatus.Received && a.Status != ApplicationStatus.InReview)
            .OrderBy(a => a.ReceivedAt).Select(a => a.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (ids.Count == 0) return 0;

        await db.Applications.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(set => set
            .SetProperty(a => a.Applicant.FullName, "")
            .SetProperty(a => a.Applicant.NationalId, "")
            .SetProperty(a => a.Applicant.Phone, "")
            .SetProperty(a => a.Applicant.DeviceId, "")
            .SetProperty(a => a.Applicant.IpAddress, "")
            .SetProperty(a => a.IdentityHash, "")
            .SetProperty(a => a.PhoneHash, "")
            .SetProperty(a => a.DeviceHash, "")
            .SetProperty(a => a.IpHash, "")
            .SetProperty(a => a.RequestHash, "")
            .SetProperty(a => a.PersonalDataErasedAt, now)
            .SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
        // LINQ cannot build a value from the key; this batch is the rows just stamped (the erasure index finds them).
        await db.Database.ExecuteSqlAsync($"""
            UPDATE "Applications" SET "ExternalRef" = {LoanApplication.ErasedExternalRefPrefix} || lower(CAST("Id" AS TEXT))
            WHERE "PersonalDataErasedAt" = {now.UtcTicks} AND "ExternalRef" NOT LIKE {LoanApplication.ErasedExternalRefPrefix + "%"}
            """, cancellationToken);

        new AuditTrail(db, Actor, now).Record("Applications", "Personal data erased", nameof(LoanApplication), $"received before {cutoff:yyyy-MM-dd}",
            after: new { Applications = ids.Count, Batch = batch, RetentionDays = options.Value.PersonalDataDays, ReceivedBefore = cutoff });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids.Count;
    }

    /// <summary>Copies the write-ahead log into the file and cuts it to nothing; false when a reader kept it from finishing.</summary>
    private static async Task<bool> CheckpointAsync(LoanHubDbContext db, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var result = await command.ExecuteReaderAsync(cancellationToken);
        return !await result.ReadAsync(cancellationToken) || result.GetInt32(0) == 0;
    }
}

/// <summary>Runs <see cref="PersonalDataRetention"/> shortly after start and then every <see cref="RetentionOptions.Interval"/>.</summary>
public sealed class RetentionHost(PersonalDataRetention retention, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionHost> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await retention.RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Retention run failed; it will be tried again at the next interval.");
                }
                await Task.Delay(options.Value.Interval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}

public static class RetentionExtensions
{
    public static IHostApplicationBuilder AddLoanHubRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.PersonalDataDays >= RetentionOptions.MinimumDays,
                $"{RetentionOptions.Section}:PersonalDataDays must be at least {RetentionOptions.MinimumDays}: the fraud checks look back {(int)EngineHost.FraudHistory.TotalDays} days.")
            .Validate(o => o.Interval >= TimeSpan.FromMinutes(1), $"{RetentionOptions.Section}:Interval must be at least a minute.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PersonalDataRetention>();
        builder.Services.AddHostedService<RetentionHost>();
        return builder;
    }
}
