using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LoanHub.Web.Data.Seeding;
using LoanHub.Web.Features.Intake;

namespace LoanHub.Web.Features.Demo;

/// <summary>
/// An endless supply of demo applicants as the traffic sources would post them: <see cref="DemoTraffic"/> one day at a
/// time, each day from its own seed so the people are new (with the re-applications and rings a day brings), under
/// external references of this run that no earlier run or the history used.
/// </summary>
internal sealed class DemoApplicantFeed(int seed, string runTag)
{
    private const int PerBatch = 120;
    private readonly Queue<DemoApplicant> pending = new();
    private int batch;
    private int sequence;

    public DemoApplicant Next(DateTimeOffset now)
    {
        if (pending.Count == 0)
        {
            batch++;
            foreach (var applicant in new DemoTraffic(unchecked(seed + batch * 7_919)).Generate(now, days: 1, perDay: PerBatch))
                pending.Enqueue(applicant);
        }
        var next = pending.Dequeue();
        return next with { ExternalRef = $"{next.SourceCode}-LIVE-{runTag}-{++sequence:D6}" };
    }

    public static string KeyOf(string sourceCode) => sourceCode switch
    {
        "ADS" => DemoCatalog.AdsKey,
        "APP" => DemoCatalog.AppKey,
        "SOC" => DemoCatalog.SocialKey,
        _ => throw new ArgumentOutOfRangeException(nameof(sourceCode), sourceCode, "not a demo source"),
    };

    /// <summary>The intake body a source would send for <paramref name="item"/>.</summary>
    public static IntakeRequest RequestOf(DemoApplicant item) => new()
    {
        ExternalRef = item.ExternalRef,
        FullName = item.Applicant.FullName,
        NationalId = item.Applicant.NationalId,
        Phone = item.Applicant.Phone,
        ProvinceCode = item.Applicant.ProvinceCode,
        City = item.Applicant.City,
        MonthlyIncome = item.Applicant.MonthlyIncome,
        ExistingMonthlyDebt = item.Applicant.ExistingMonthlyDebt,
        Employment = item.Applicant.Employment.ToString(),
        RequestedAmount = item.Applicant.RequestedAmount,
        TermMonths = item.Applicant.TermMonths,
        Purpose = item.Applicant.Purpose.ToString(),
        DeviceId = item.Applicant.DeviceId,
        IpAddress = item.Applicant.IpAddress,
        BureauScore = item.Applicant.BureauScore,
        Consent = new ConsentRequest(item.Consent.CreditCheck, item.Consent.ShareWithLenders, item.Consent.Marketing, item.Consent.Text),
    };
}

/// <summary>
/// Live demo traffic (<c>LoanHub:Demo:LiveTraffic</c>): once the server listens and the demo lenders point at it, one
/// new applicant every 2–6 seconds through the real intake API over HTTP, with the demo sources' keys, so the console
/// moves while someone watches. The seed is <c>LoanHub:Demo:LiveTrafficSeed</c>, by default taken from the start
/// time: a fixed default would post the same people after every restart, and they would all be duplicates.
/// </summary>
internal sealed class DemoLiveTraffic(
    DemoSelfAddress self,
    DemoLenderAddresses lenderAddresses,
    IHttpClientFactory httpClients,
    IConfiguration configuration,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoLiveTraffic> logger) : BackgroundService
{
    public const string EnabledKey = "LoanHub:Demo:LiveTraffic";
    public const string SeedKey = "LoanHub:Demo:LiveTrafficSeed";
    private const string IntakePath = "api/v1/applications";
    private const int MinIntervalMs = 2_000;
    private const int MaxIntervalMs = 6_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (environment.IsProduction() || !configuration.GetValue<bool>(EnabledKey)) return;
        try
        {
            var address = await self.WaitAsync(stoppingToken);
            if (address is null)
            {
                logger.LogDebug("No live demo traffic: the server has no address to post to.");
                return;
            }
            await lenderAddresses.WaitSettledAsync(stoppingToken);

            var started = clock.GetUtcNow();
            var seed = configuration.GetValue<int?>(SeedKey) ?? unchecked((int)started.ToUnixTimeSeconds());
            var random = new Random(seed);
            var feed = new DemoApplicantFeed(seed, started.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture));
            using var client = httpClients.CreateClient(DemoLiveExtensions.HttpClientName);
            client.BaseAddress = address;
            logger.LogInformation("Live demo traffic: one applicant every few seconds to {Url}", new Uri(address, IntakePath));

            var lastPost = TimeSpan.Zero;
            while (!stoppingToken.IsCancellationRequested)
            {
                // The interval runs from one post to the next, however long the engine and the lenders took.
                var wait = TimeSpan.FromMilliseconds(random.Next(MinIntervalMs, MaxIntervalMs + 1)) - lastPost;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, stoppingToken);
                var watch = Stopwatch.StartNew();
                try
                {
                    await PostAsync(client, feed.Next(clock.GetUtcNow()), stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "A live demo applicant could not be posted.");
                }
                lastPost = watch.Elapsed;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Live demo traffic stopped.");
        }
    }

    private async Task PostAsync(HttpClient client, DemoApplicant item, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, IntakePath)
        {
            Content = JsonContent.Create(DemoApplicantFeed.RequestOf(item), options: JsonSerializerOptions.Web),
        };
        request.Headers.Add(IntakeApi.ApiKeyHeader, DemoApplicantFeed.KeyOf(item.SourceCode));
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            logger.LogWarning("Live demo applicant {ExternalRef} was answered {Status}: {Detail}", item.ExternalRef, (int)response.StatusCode,
                detail.Length > 300 ? detail[..300] : detail);
            return;
        }
        var answer = await response.Content.ReadFromJsonAsync<IntakeResponse>(JsonSerializerOptions.Web, cancellationToken);
        logger.LogDebug("Live demo applicant {ExternalRef} from {Source}: {Status} {RoutedTo}", item.ExternalRef, item.SourceCode,
            answer?.Status, answer?.RoutedTo is { } to ? $"to {to.LenderCode}/{to.ProductCode}" : "");
    }
}
