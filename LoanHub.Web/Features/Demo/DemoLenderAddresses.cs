using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Demo;

/// <summary>
/// The demo lenders are seeded at <see cref="DemoLenders.SeedBaseUrl"/>, but the server may listen elsewhere (another
/// port, port 0 in tests). Once it listens, every lender served by the simulated endpoints on 127.0.0.1 is pointed at
/// the real port, through the importer (audited, as the demo seed; it tells the engine to reload its catalog).
/// </summary>
internal sealed class DemoLenderAddresses(
    DemoSelfAddress self,
    IDbContextFactory<LoanHubDbContext> contexts,
    ConfigurationImporter importer,
    IHostEnvironment environment,
    ILogger<DemoLenderAddresses> logger) : BackgroundService
{
    public const string Actor = "seed:demo";
    private const string LoopbackPrefix = "http://127.0.0.1:";

    private readonly TaskCompletionSource settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the demo lenders point at this server, or it is clear they cannot (no address, a failure).</summary>
    public Task WaitSettledAsync(CancellationToken cancellationToken) => settled.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (environment.IsProduction()) return;
            var address = await self.WaitAsync(stoppingToken);
            if (address is null || address.Scheme != Uri.UriSchemeHttp)
            {
                logger.LogDebug("Demo lenders keep their addresses: the server has no plain-http address ({Address}).", address);
                return;
            }
            await PointAtAsync(address.Port, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not point the demo lenders at this server; their deliveries may fail.");
        }
        finally
        {
            settled.TrySetResult();
        }
    }

    /// <summary>Moves the demo lenders on loopback to <paramref name="port"/>; the codes of those it moved.</summary>
    internal async Task<IReadOnlyList<string>> PointAtAsync(int port, CancellationToken cancellationToken)
    {
        List<Lender> lenders;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            lenders = await db.Lenders.AsNoTracking().ToListAsync(cancellationToken);
        }

        var moved = new List<LenderDocument>();
        foreach (var lender in lenders)
        {
            if (lender.Delivery is not { } delivery || !IsDemoUrl(delivery.PostUrl)
                || (delivery.PrecheckUrl is { } precheck && !IsDemoUrl(precheck)))
                continue;
            var postUrl = WithPort(delivery.PostUrl, port);
            var precheckUrl = delivery.PrecheckUrl is null ? null : WithPort(delivery.PrecheckUrl, port);
            if (postUrl == delivery.PostUrl && precheckUrl == delivery.PrecheckUrl) continue;
            // Secret null keeps the lender's secret; no products and no Active leave those as they are.
            moved.Add(new LenderDocument(lender.Code, lender.Name, ApiKey: null, Products: null, Active: null,
                Delivery: new DeliveryDocument(precheckUrl, postUrl, Secret: null, delivery.TimeoutMs)));
        }
        if (moved.Count == 0) return [];

        await importer.ApplyAsync(new ConfigurationDocument { Lenders = moved }, Actor, "demo lenders moved to this server's port", cancellationToken);
        var codes = moved.Select(l => l.Code).ToList();
        logger.LogInformation("Demo lenders {Codes} now point at port {Port}.", string.Join(", ", codes), port);
        return codes;
    }

    /// <summary>A simulated demo lender endpoint on this machine, the way the demo seeds them.</summary>
    internal static bool IsDemoUrl(string url) =>
        url.StartsWith(LoopbackPrefix, StringComparison.OrdinalIgnoreCase)
        && url.Contains(DemoLenders.PathPrefix, StringComparison.Ordinal)
        && Uri.TryCreate(url, UriKind.Absolute, out _);

    internal static string WithPort(string url, int port)
    {
        var uri = new Uri(url);
        return uri.Port == port ? url : new UriBuilder(uri) { Port = port }.Uri.AbsoluteUri;
    }
}
