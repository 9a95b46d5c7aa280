using System.Diagnostics;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Learning;

/// <summary>
/// Keeps the learned rates current: counts the outcomes in the store when the app starts (before it serves a request)
/// and again every <c>LoanHub:Learning:RefreshSeconds</c>, and publishes each result as a new immutable snapshot on the
/// <see cref="LearnedRatesBoard"/>. The store is the only state, so the rates survive restarts and several instances
/// on one database learn the same (ADR 0009).
/// </summary>
public sealed class LearnedRatesRefresher(
    IDbContextFactory<LoanHubDbContext> contexts,
    LearnedRatesBoard board,
    LearningOptions options,
    TimeProvider clock,
    ILogger<LearnedRatesRefresher> logger) : BackgroundService
{
    private readonly SemaphoreSlim refreshing = new(1, 1);

    /// <summary>Counts the outcomes now and publishes the new snapshot (what the timer does; tests and the demo call it too).</summary>
    public async Task<LearnedRates> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await refreshing.WaitAsync(cancellationToken);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var asOf = clock.GetUtcNow();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var counts = await OutcomeCountsQuery.CountAsync(db, asOf - options.Window, cancellationToken);
            var rates = LearnedRates.From(counts, options.Priors, asOf);
            board.Publish(rates);
            logger.LogDebug("Learned rates of {Groups} product × tier groups recounted in {Elapsed} ms.", counts.Count,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return rates;
        }
        finally
        {
            refreshing.Release();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The engine forecasts from the priors until the next refresh succeeds.
            logger.LogError(e, "The learned rates could not be counted at start.");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A delay per round rather than a periodic timer: after a pause (or a test clock moved on by a year) it refreshes
        // once, instead of once for every interval missed.
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.RefreshEvery, clock, stoppingToken);
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "The learned rates could not be recounted; the last snapshot stays.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
