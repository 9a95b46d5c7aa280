using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Data.Seeding;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Outcomes;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Demo;

/// <summary>
/// What a demo lender makes of one lead, decided by the application alone so a restart, a repeat or a test sees
/// the same: it answers 2–5 minutes after the lead arrived, approves about 45 % and of those funds about 70 %,
/// 3–10 minutes after approving, for 60–100 % of the amount asked for.
/// </summary>
internal sealed record DemoLenderVerdict(TimeSpan DecidedAfter, bool Approved, TimeSpan? FundedAfter, decimal FundedShare)
{
    public static readonly TimeSpan EarliestDecision = TimeSpan.FromMinutes(2);
    private const int DecisionSpreadSeconds = 3 * 60;
    private const int EarliestFundingSeconds = 3 * 60;
    private const int FundingSpreadSeconds = 7 * 60;
    private const double ApprovalRate = 0.45;
    private const double FundingRate = 0.70;

    public static DemoLenderVerdict For(ApplicationId application)
    {
        var draw = SHA256.HashData(Encoding.UTF8.GetBytes($"demo-lender-verdict|{application.Value:N}"));
        double Next(int slot) => BitConverter.ToUInt32(draw, slot * 4) / (uint.MaxValue + 1.0);

        var approved = Next(1) < ApprovalRate;
        var funded = approved && Next(2) < FundingRate;
        return new DemoLenderVerdict(
            EarliestDecision + TimeSpan.FromSeconds((int)(Next(0) * DecisionSpreadSeconds)),
            approved,
            funded ? TimeSpan.FromSeconds(EarliestFundingSeconds + (int)(Next(3) * FundingSpreadSeconds)) : null,
            0.60m + Math.Round((decimal)Next(4) * 0.40m, 4));
    }

    /// <summary>
    /// The postback this lender sends at <paramref name="now"/> for a lead in <paramref name="status"/>, or null when
    /// it has nothing (more) to say yet. Event ids and instants depend only on the lead, so a repeat is idempotent.
    /// </summary>
    public PostbackRequest? ReportDue(ApplicationId application, DeliveryStatus status, DateTimeOffset allocatedAt, decimal requestedAmount, DateTimeOffset now)
    {
        var decidedAt = allocatedAt + DecidedAfter;
        switch (status)
        {
            case DeliveryStatus.Delivered when decidedAt <= now:
                var outcome = Approved ? LenderOutcome.Approved : LenderOutcome.Declined;
                return new PostbackRequest(EventId(application, outcome), application.Value, outcome.ToString(), null, decidedAt);
            case DeliveryStatus.Approved when Approved && FundedAfter is { } fundedAfter && decidedAt + fundedAfter <= now:
                var amount = Math.Min(requestedAmount, Money.Round(requestedAmount * FundedShare));
                return amount <= 0m ? null
                    : new PostbackRequest(EventId(application, LenderOutcome.Funded), application.Value, nameof(LenderOutcome.Funded), amount, decidedAt + fundedAfter);
            default:
                return null;
        }
    }

    public static string EventId(ApplicationId application, LenderOutcome outcome) => $"demo-{application.Value}-{outcome.ToString().ToLowerInvariant()}";
}

/// <summary>
/// The demo lenders report back like real lenders: through the postback API over HTTP, with their demo keys, on the
/// leads this process delivered to them (the generated history has its outcomes already). Every
/// <see cref="Interval"/> it reports what <see cref="DemoLenderVerdict"/> says is due, at most <see cref="MaxReportsPerTick"/>.
/// </summary>
internal sealed class DemoLenderReporter(
    DemoSelfAddress self,
    IDbContextFactory<LoanHubDbContext> contexts,
    IHttpClientFactory httpClients,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoLenderReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);
    public const int MaxReportsPerTick = 200;
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (environment.IsProduction()) return;
        var since = clock.GetUtcNow();
        try
        {
            var address = await self.WaitAsync(stoppingToken);
            if (address is null)
            {
                logger.LogDebug("Demo lenders do not report outcomes: the server has no address to post to.");
                return;
            }
            using var client = httpClients.CreateClient(DemoLiveExtensions.HttpClientName);
            client.BaseAddress = address;
            using var timer = new PeriodicTimer(Interval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ReportDueAsync(client, since, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Demo lenders could not report outcomes; trying again in {Interval}.", Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Demo lenders stopped reporting outcomes.");
        }
    }

    /// <summary>Posts the outcomes due now on demo lenders' leads allocated since <paramref name="since"/>; how many were taken.</summary>
    internal async Task<int> ReportDueAsync(HttpClient client, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var allocatedFrom = since > now - Window ? since : now - Window;
        var decidedBy = now - DemoLenderVerdict.EarliestDecision;
        Dictionary<LenderId, string> keys;
        List<OpenLead> open;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // Only lenders that still have their demo key: one whose key an operator rotated cannot be spoken for.
            keys = (await db.Lenders.AsNoTracking().Select(l => new { l.Id, l.Code, l.ApiKeyHash }).ToListAsync(cancellationToken))
                .Where(l => l.ApiKeyHash == ApiKeys.Hash(DemoCatalog.LenderKey(l.Code)))
                .ToDictionary(l => l.Id, l => DemoCatalog.LenderKey(l.Code));
            if (keys.Count == 0) return 0;
            open = await (from allocation in db.Allocations.AsNoTracking()
                          where allocation.AllocatedAt >= allocatedFrom && allocation.AllocatedAt <= decidedBy
                                && (allocation.Status == DeliveryStatus.Delivered || allocation.Status == DeliveryStatus.Approved)
                          join application in db.Applications on allocation.ApplicationId equals application.Id
                          orderby allocation.AllocatedAt
                          select new OpenLead(allocation.ApplicationId, allocation.LenderId, allocation.Status, allocation.AllocatedAt,
                              application.Applicant.RequestedAmount))
                .ToListAsync(cancellationToken);
        }

        var due = open
            .Where(lead => keys.ContainsKey(lead.LenderId))
            .Select(lead => (Key: keys[lead.LenderId],
                Report: DemoLenderVerdict.For(lead.ApplicationId).ReportDue(lead.ApplicationId, lead.Status, lead.AllocatedAt, lead.RequestedAmount, now)))
            .Where(d => d.Report is not null)
            .Take(MaxReportsPerTick)
            .ToList();

        var taken = 0;
        foreach (var (key, report) in due)
        {
            if (await PostAsync(client, key, report!, cancellationToken)) taken++;
        }
        if (due.Count > 0) logger.LogDebug("Demo lenders reported {Taken} of {Due} outcomes due.", taken, due.Count);
        return taken;
    }

    private async Task<bool> PostAsync(HttpClient client, string lenderKey, PostbackRequest report, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/postbacks")
        {
            Content = JsonContent.Create(report, options: JsonSerializerOptions.Web),
        };
        request.Headers.Add(IntakeApi.ApiKeyHeader, lenderKey);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            logger.LogDebug("Demo lender reported {Outcome} for {ApplicationId}.", report.Outcome, report.ApplicationId);
            return true;
        }
        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        // A conflict is someone else's report on the lead (an operator's test call): the lead is theirs now.
        logger.Log(response.StatusCode == HttpStatusCode.Conflict ? LogLevel.Debug : LogLevel.Warning,
            "Demo lender postback {EventId} answered {Status}: {Detail}", report.EventId, (int)response.StatusCode, detail.Length > 300 ? detail[..300] : detail);
        return false;
    }

    private sealed record OpenLead(ApplicationId ApplicationId, LenderId LenderId, DeliveryStatus Status, DateTimeOffset AllocatedAt, decimal RequestedAmount);
}
