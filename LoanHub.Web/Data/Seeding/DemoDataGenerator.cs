using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
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
                var summary = await importer.ApplyAsync(DemoCatalog.Document, "seed:demo", cancellationToken);
                logger.LogInformation("Demo catalog: {Summary}.", summary);
            }
            if (await db.Applications.AnyAsync(cancellationToken)) return;
        }

        var seed = options.Value;
        var traffic = new DemoTraffic(seed.DemoSeed).Generate(clock.GetUtcNow(), seed.DemoDays, seed.DemoApplicantsPerDay);
        await WriteAsync(traffic, new Random(seed.DemoSeed + 1), cancellationToken);
        logger.LogInformation("Demo traffic: {Count} applicants over {Days} days.", traffic.Count, seed.DemoDays);
    }

    // Until the decision engine drives the demo, a few plain rules stand in for it: repeat identities
    // within 30 days are duplicates, devices shared by three identities go to review, and the rest are
    // routed by weight among the products whose criteria they meet.
    private async Task WriteAsync(IReadOnlyList<DemoApplicant> traffic, Random random, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var sources = await db.Sources.ToDictionaryAsync(s => s.Code, cancellationToken);
        var lenders = await db.Lenders.Include(l => l.Products).Where(l => l.IsActive).ToListAsync(cancellationToken);
        var products = lenders.SelectMany(l => l.Products).Where(p => p.IsActive).ToList();
        var routedAt = new Dictionary<string, DateTimeOffset>();
        var identitiesByDevice = new Dictionary<string, HashSet<string>>();
        var now = clock.GetUtcNow();

        foreach (var item in traffic)
        {
            var source = sources[item.SourceCode];
            var application = new LoanApplication(source.Id, item.ExternalRef, "demo", item.ReceivedAt, item.Applicant, item.Consent);
            db.Applications.Add(application);
            var decidedAt = item.ReceivedAt.AddMilliseconds(3);
            var nationalId = item.Applicant.NationalId;

            var onDevice = identitiesByDevice.TryGetValue(item.Applicant.DeviceId, out var set) ? set : identitiesByDevice[item.Applicant.DeviceId] = [];
            onDevice.Add(nationalId);

            if (routedAt.TryGetValue(nationalId, out var last) && item.ReceivedAt - last < TimeSpan.FromDays(30))
            {
                application.MarkDuplicate(decidedAt);
                continue;
            }
            if (onDevice.Count >= 3)
            {
                application.HoldForReview(decidedAt);
                db.ReviewCases.Add(new ReviewCase(application.Id, source.Id, decidedAt, ["DEVICE_SHARED"], null));
                continue;
            }

            var age = item.Applicant.AgeOn(DateOnly.FromDateTime(item.ReceivedAt.UtcDateTime));
            var eligible = products.Where(p => Meets(p.Criteria, item.Applicant, age)).ToList();
            if (eligible.Count == 0)
            {
                application.MarkUnmatched(decidedAt);
                continue;
            }
            var product = PickByWeight(eligible, random);
            application.MarkRouted(decidedAt);
            routedAt[nationalId] = item.ReceivedAt;
            var allocation = new Allocation(application.Id, product.LenderId, product.Id, source.Id, RoutingStrategy.Weighted,
                decidedAt, DateOnly.FromDateTime(decidedAt.UtcDateTime.AddHours(8)), 0m, "[]");
            db.Allocations.Add(allocation);
            AddOutcomes(db, allocation, product, item.Applicant.RequestedAmount, random, now);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void AddOutcomes(LoanHubDbContext db, Allocation allocation, LenderProduct product, decimal requested, Random random, DateTimeOffset now)
    {
        Book(db, allocation, product, CommissionEvent.Delivered, null, allocation.AllocatedAt);
        var decidedAt = allocation.AllocatedAt.AddHours(2 + random.Next(0, 46));
        if (decidedAt > now || random.NextDouble() < 0.1) return; // some leads have no answer yet
        var approved = random.NextDouble() < 0.45;
        allocation.Record(approved ? LenderOutcome.Approved : LenderOutcome.Declined, null);
        if (!approved) return;
        Book(db, allocation, product, CommissionEvent.Approved, null, decidedAt);
        var fundedAt = decidedAt.AddHours(4 + random.Next(0, 60));
        if (fundedAt > now || random.NextDouble() < 0.25) return;
        var funded = Money.Round(requested * (decimal)(0.6 + random.NextDouble() * 0.4));
        allocation.Record(LenderOutcome.Funded, funded);
        Book(db, allocation, product, CommissionEvent.Funded, funded, fundedAt);
    }

    private static void Book(LoanHubDbContext db, Allocation allocation, LenderProduct product, CommissionEvent commissionEvent, decimal? funded, DateTimeOffset at)
    {
        if (product.Commission.EarnsOn == commissionEvent)
            db.CommissionEntries.Add(new CommissionEntry(allocation, product.Commission, commissionEvent, funded, at));
    }

    private static bool Meets(EligibilityCriteria c, Applicant a, int age) =>
        a.RequestedAmount >= c.MinAmount && a.RequestedAmount <= c.MaxAmount
        && a.TermMonths >= c.MinTermMonths && a.TermMonths <= c.MaxTermMonths
        && age >= c.MinAge && age <= c.MaxAge
        && a.MonthlyIncome >= c.MinMonthlyIncome
        && (c.Provinces.Count == 0 || c.Provinces.Contains(a.ProvinceCode))
        && (c.Employment.Count == 0 || c.Employment.Contains(a.Employment));

    private static LenderProduct PickByWeight(List<LenderProduct> eligible, Random random)
    {
        var total = eligible.Sum(p => Math.Max(p.Limits.Weight, 1));
        var pick = random.Next(total);
        foreach (var p in eligible)
        {
            pick -= Math.Max(p.Limits.Weight, 1);
            if (pick < 0) return p;
        }
        return eligible[^1];
    }
}
