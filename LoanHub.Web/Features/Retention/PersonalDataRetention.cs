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

    /// <summary>Days after receipt until name, national ID, phone, device and IP are erased. At least the fraud look-back (180 days) plus one.</summary>
    public int PersonalDataDays { get; set; } = 365;

    /// <summary>How often the erasure runs; it also runs once shortly after start.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    public static int MinimumDays => (int)EngineHost.FraudHistory.TotalDays + 1;
}

/// <summary>
/// PIPL asks that personal information be kept no longer than its purpose needs. Once an application is older than
/// <see cref="RetentionOptions.PersonalDataDays"/> and decided, what identifies the applicant is erased (see
/// <see cref="LoanApplication.ErasePersonalData"/>), in small transactions so intake never waits long, and each run
/// that erased anything is written to the audit log. Applications still waiting for a reviewer are left alone.
/// </summary>
public sealed class PersonalDataRetention(
    IDbContextFactory<LoanHubDbContext> contexts,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<PersonalDataRetention> logger)
{
    internal const int BatchSize = 500;
    public const string Actor = "system (retention)";
    private readonly SemaphoreSlim oneRunAtATime = new(1, 1);

    /// <summary>Erases every application due now (one run at a time); returns how many this run erased.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await oneRunAtATime.WaitAsync(cancellationToken);
        try
        {
            return await EraseDueAsync(cancellationToken);
        }
        finally
        {
            oneRunAtATime.Release();
        }
    }

    private async Task<int> EraseDueAsync(CancellationToken cancellationToken)
    {
        var days = options.Value.PersonalDataDays;
        var now = clock.GetUtcNow();
        var receivedBefore = now.AddDays(-days);
        var erased = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            // (PersonalDataErasedAt, ReceivedAt) index: the due applications are found without passing the erased ones.
            var due = await db.Applications
                .Where(a => a.PersonalDataErasedAt == null && a.ReceivedAt < receivedBefore
                    && a.Status != ApplicationStatus.Received && a.Status != ApplicationStatus.InReview)
                .OrderBy(a => a.ReceivedAt).Take(BatchSize).ToListAsync(cancellationToken);
            if (due.Count == 0) break;
            foreach (var application in due) application.ErasePersonalData(now);
            await db.SaveChangesAsync(cancellationToken);
            erased += due.Count;
            if (due.Count < BatchSize) break;
        }

        if (erased > 0)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            new AuditTrail(db, Actor, now).Record("Applications", "Personal data erased", nameof(LoanApplication), $"received before {receivedBefore:yyyy-MM-dd}",
                after: new { Applications = erased, RetentionDays = days, ReceivedBefore = receivedBefore });
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Retention: erased the personal data of {Count} applications received before {Cutoff:u}.", erased, receivedBefore);
        }
        return erased;
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
