namespace LoanHub.Web.Features.Alerts;

/// <summary>
/// Runs the alert rules every <c>LoanHub:Alerts:CheckSeconds</c> and sends what they raise to the rules' robots. A
/// failed check is logged and tried again at the next round; it never stops the app.
/// </summary>
public sealed class AlertMonitor(AlertBook book, AlertOptions options, TimeProvider clock, ILogger<AlertMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A delay per round, as the learned rates do: after a pause it checks once, not once per round missed.
                await Task.Delay(options.CheckEvery, clock, stoppingToken);
                try
                {
                    await book.NotifyAsync(await book.CheckAsync(stoppingToken), stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "The alert rules could not be checked; they are checked again in {Seconds} s.", options.CheckEvery.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
