using LoanHub.Core.Domain;
using System.Security.Cryptography;
using System.Text.Json;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Demo;
using LoanHub.Web.Features.Blocklists;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Data.Seeding;

/// <summary>
/// Fills an empty store with the demo catalog and 30 days of traffic with lender outcomes, so the
/// console has something to show on first run. Deterministic for a given seed and end time.
/// </summary>
internal sealed class DemoDataGenerator(
    IDbContextFactory<LoanHubDbContext> contexts,
    ConfigurationImporter importer,
    EngineHost engine,
    DemoLenders demoLenders,
    IHostEnvironment environment,
    IOptions<SeedOptions> options,
    TimeProvider clock,
    ILogger<DemoDataGenerator> logger)
{
    public async Task GenerateIfEmptyAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Lenders.AnyAsync(cancellationToken))
            {
                // Outside Production the push lenders are served by the simulated endpoints, which Production never maps.
                var summary = await importer.ApplyAsync(DemoCatalog.Document(pushLenders: !environment.IsProduction()), "seed:demo", "演示数据的初始配置",
                    cancellationToken);
                logger.LogInformation("Demo catalog: {Summary}.", summary);
            }
            if (await db.Applications.AnyAsync(cancellationToken)) return;
        }

        var seed = options.Value;
        var traffic = new DemoTraffic(seed.DemoSeed).Generate(clock.GetUtcNow(), seed.DemoDays, seed.DemoApplicantsPerDay);
        demoLenders.InProcess = true;
        try
        {
            await WriteAsync(traffic, new Random(seed.DemoSeed + 1), cancellationToken);
        }
        finally
        {
            demoLenders.InProcess = false;
        }
        logger.LogInformation("Demo traffic: {Count} applicants over {Days} days.", traffic.Count, seed.DemoDays);
    }

    // The demo traffic goes through the real engine, in groups as intake would commit it, and through the real
    // delivery to the demo lenders (answered in process, see DemoLenders); then the lenders' outcomes are simulated
    // on what was delivered.
    private async Task WriteAsync(IReadOnlyList<DemoApplicant> traffic, Random random, CancellationToken cancellationToken)
    {
        Dictionary<string, SourceId> sources;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            sources = await db.Sources.ToDictionaryAsync(s => s.Code, s => s.Id, cancellationToken);
        }
        foreach (var chunk in traffic.Chunk(engine.MaxBatch))
        {
            var commands = chunk.Select(item => new IntakeCommand(sources[item.SourceCode],
                    new ValidIntake(item.ExternalRef, item.Applicant, item.Consent),
                    Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(item))), item.ReceivedAt) { Unhurried = true })
                .ToList();
            await engine.ProcessAsync(commands, cancellationToken);
            await engine.SettleAsync(cancellationToken);
            foreach (var command in commands) await command.Completion.Task; // surfaces a failed commit
        }
        await WorkTheReviewQueueAsync(random, cancellationToken);
        await SimulateOutcomesAsync(random, cancellationToken);
    }

    public const string DemoReviewer = "demo.reviewer@loanhub.local";

    // Reviewers have worked the queue up to two days ago: rings are rejected whole, other cases mostly
    // approved (and routed then) with a note, each a few hours after it was opened.
    private async Task WorkTheReviewQueueAsync(Random random, CancellationToken cancellationToken)
    {
        List<ReviewCase> open;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var cutoff = clock.GetUtcNow().AddDays(-2);
            open = await db.ReviewCases.AsNoTracking().Where(r => r.Status == ReviewStatus.Open && r.OpenedAt < cutoff)
                .OrderBy(r => r.OpenedAt).ToListAsync(cancellationToken);
        }
        var done = new HashSet<Guid>();
        foreach (var review in open)
        {
            if (!done.Add(review.Id)) continue;
            var at = review.OpenedAt.AddHours(1 + random.Next(0, 20));
            if (review.ClusterId is { } cluster)
            {
                var ring = open.Where(r => r.ClusterId == cluster && r.OpenedAt <= at).Select(r => r.Id).Where(id => id == review.Id || done.Add(id)).ToList();
                // The ring's device, phones and IDs go on the blocklist, so the demo has entries to list and lift.
                await DecideAsync(ring, approve: false, "同一设备关联多个身份，属团伙进件，整体拒绝。", at, cancellationToken,
                    new BlockRequest(BlockRequest.AllKinds, BlocklistEntry.DefaultDays));
                continue;
            }
            var approve = random.NextDouble() < 0.7;
            await DecideAsync([review.Id], approve,
                approve ? "已电话核实收入和工作单位。" : "无法核实收入，拒绝。", at, cancellationToken);
        }
    }

    // An approval is delivered like intake; with the host's loop not running yet, its deliveries are settled here.
    private async Task DecideAsync(IReadOnlyList<Guid> cases, bool approve, string note, DateTimeOffset at, CancellationToken cancellationToken,
        BlockRequest? block = null)
    {
        var decided = Task.Run(() => engine.DecideReviewsAsync(cases, approve, DemoReviewer, note, block, at, cancellationToken), cancellationToken);
        while (!decided.IsCompleted)
        {
            await engine.SettleAsync(cancellationToken);
            await Task.WhenAny(decided, Task.Delay(5, cancellationToken));
        }
        await decided;
    }

    private async Task SimulateOutcomesAsync(Random random, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var allocations = await db.Allocations.OrderBy(a => a.AllocatedAt).ToListAsync(cancellationToken);
        var requested = await db.Applications.AsNoTracking().Where(a => a.Status == ApplicationStatus.Routed)
            .Select(a => new { a.Id, a.Applicant.RequestedAmount }).ToDictionaryAsync(a => a.Id, a => a.RequestedAmount, cancellationToken);
        var tiers = await db.Assessments.AsNoTracking().Select(a => new { a.ApplicationId, a.Tier }).ToDictionaryAsync(a => a.ApplicationId, a => a.Tier, cancellationToken);
        var products = await db.Products.AsNoTracking().Select(p => new { p.Id, p.Code }).ToDictionaryAsync(p => p.Id, p => p.Code, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var allocation in allocations)
        {
            AddOutcomes(db, allocation, requested[allocation.ApplicationId], ApprovalOdds(products[allocation.ProductId], tiers[allocation.ApplicationId]), random, now);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// How often a demo lender approves a lead of a tier, so the rates learned from the history differ by tier and by
    /// product as real lenders' would: 70 % of tier A down to 10 % of tier E, times a factor of 0.6–1.3 fixed per product.
    /// </summary>
    internal static double ApprovalOdds(string productCode, RiskTier tier)
    {
        var byTier = tier switch { RiskTier.A => 0.70, RiskTier.B => 0.55, RiskTier.C => 0.40, RiskTier.D => 0.25, _ => 0.10 };
        var factor = 0.6 + SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"demo-product|{productCode}"))[0] / 255.0 * 0.7;
        return Math.Min(0.95, byTier * factor);
    }

    private static void AddOutcomes(LoanHubDbContext db, Allocation allocation, decimal requested, double approvalOdds, Random random, DateTimeOffset now)
    {
        var decidedAt = allocation.AllocatedAt.AddHours(2 + random.Next(0, 46));
        if (decidedAt > now || random.NextDouble() < 0.1) return; // some leads have no answer yet
        var approved = random.NextDouble() < approvalOdds;
        Report(db, allocation, approved ? LenderOutcome.Approved : LenderOutcome.Declined, null, decidedAt);
        if (!approved) return;
        Book(db, allocation, CommissionEvent.Approved, null, decidedAt);
        var fundedAt = decidedAt.AddHours(4 + random.Next(0, 60));
        if (fundedAt > now || random.NextDouble() < 0.25) return;
        var funded = Money.Round(requested * (decimal)(0.6 + random.NextDouble() * 0.4));
        Report(db, allocation, LenderOutcome.Funded, funded, fundedAt);
        Book(db, allocation, CommissionEvent.Funded, funded, fundedAt);
    }

    /// <summary>The outcome on the lead and the postback that would have carried it, as the lender's reports arrive in production.</summary>
    private static void Report(LoanHubDbContext db, Allocation allocation, LenderOutcome outcome, decimal? funded, DateTimeOffset at)
    {
        allocation.Record(outcome, funded, at);
        db.Outcomes.Add(new OutcomeReport(allocation.LenderId, $"history-{allocation.Id.Value:N}-{outcome}", allocation.Id, allocation.ApplicationId,
            outcome, funded, at, at, ""));
    }

    private static void Book(LoanHubDbContext db, Allocation allocation, CommissionEvent commissionEvent, decimal? funded, DateTimeOffset at)
    {
        db.CommissionEntries.Add(new CommissionEntry(allocation, commissionEvent, funded, at));
    }
}
