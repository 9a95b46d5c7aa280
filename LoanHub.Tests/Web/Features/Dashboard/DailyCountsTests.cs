using System.Net;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Tests.Web.Features.Outcomes;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Dashboard;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Dashboard;

/// <summary>
/// The daily counters the dashboard reads must always equal what counting the store itself gives: after demo
/// traffic (intake, duplicates, rings, review decisions, outcomes), under concurrent savers, and after the
/// migration that introduced them backfilled an existing store.
/// </summary>
public class DailyCountsTests
{
    private const string PreviousMigration = "20261123215227_DashboardIndexes";

    [Fact]
    public async Task Counters_kept_by_every_save_equal_a_count_of_the_store_after_demo_traffic()
    {
        using var host = DemoHost();
        _ = host.Server;

        var (applications, lenders) = await CountersAsync(host);
        Assert.NotEmpty(applications);
        Assert.Contains(applications, a => a.Status == nameof(ApplicationStatus.Rejected)); // review decisions moved counts
        Assert.Contains(lenders, l => l.Commission > 0);
        AssertSame(await CountStoreAsync(host), (applications, lenders));

        // The synchronous save keeps them too.
        await using (var db = host.CreateDbContext())
        {
            var waiting = await db.Applications.FirstAsync(a => a.Status == ApplicationStatus.InReview);
            waiting.MarkRejected(DateTimeOffset.UtcNow);
            db.SaveChanges();
        }
        AssertSame(await CountStoreAsync(host), await CountersAsync(host));
    }

    [Fact]
    public async Task A_save_whose_counters_cannot_be_written_stores_nothing_and_acknowledges_nothing()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, ValidBody(nationalId: NationalId(483_000)))).StatusCode);
        await using (var db = host.CreateDbContext())
            await db.Database.ExecuteSqlRawAsync("""DROP TABLE "DailyApplicationCounts";""");

        var refused = await PostAsync(client, ValidBody(nationalId: NationalId(483_001)));

        Assert.False(refused.IsSuccessStatusCode, $"answered {(int)refused.StatusCode}");
        await using (var db = host.CreateDbContext())
        {
            Assert.Equal(1, await db.Applications.CountAsync());
            Assert.Equal(1, await db.Assessments.CountAsync());
        }
    }

    [Fact]
    public async Task Counters_stay_exact_when_intake_outcomes_and_review_decisions_save_at_once()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        var people = 480_000;
        var routed = new RoutedLeads(client, () => Interlocked.Increment(ref people));
        var leads = new List<string>();
        for (var i = 0; i < 8; i++) leads.Add(await routed.CpaAsync());
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < 4; i++) await PostAsync(client, ValidBody(nationalId: NationalId(481_000 + i), deviceId: device));
        List<Guid> cases;
        await using (var db = host.CreateDbContext())
            cases = await db.ReviewCases.Select(r => r.Id).ToListAsync();
        Assert.NotEmpty(cases);

        var engine = host.Services.GetRequiredService<EngineHost>();
        var work = new List<Task>();
        work.AddRange(Enumerable.Range(0, 30).Select(i => PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(482_000 + i)))));
        work.AddRange(leads.Select(id => routed.PostbackAsync(id, "Approved")));
        work.Add(engine.DecideReviewsAsync(cases, approve: false, "reviewer@test.local", "Synthetic identities", CancellationToken.None));
        await Task.WhenAll(work);
        foreach (var id in leads.Take(4)) Assert.Equal(HttpStatusCode.OK, (await routed.PostbackAsync(id, "Funded", 90_000m)).StatusCode);

        var counters = await CountersAsync(host);
        AssertSame(await CountStoreAsync(host), counters);
        Assert.Equal(42, counters.Applications.Sum(a => a.Applicants));
        var snapshot = await host.Services.GetRequiredService<DashboardService>().LoadAsync();
        Assert.Equal(42, snapshot.TodayTotal);
        Assert.Equal(cases.Count, snapshot.Count(snapshot.Today, ApplicationStatus.Rejected));
        Assert.Equal(0, snapshot.Count(snapshot.Today, ApplicationStatus.InReview));
        await using (var db = host.CreateDbContext())
            Assert.Equal(await db.CommissionEntries.SumAsync(e => e.Amount), snapshot.Commission30Days);
    }

    [SqliteFact("it replays SQLite's migrations from before the counters; PostgreSQL's begin with them")]
    public async Task Migrations_count_what_the_store_held_before_the_counters_existed_and_copy_routed_lenders()
    {
        using var host = DemoHost();
        _ = host.Server;
        var kept = await CountersAsync(host);
        var lenders = await RoutedLendersAsync(host);
        Assert.NotEmpty(lenders);
        Assert.All(lenders, x => Assert.Equal(x.Allocated, x.Routed));

        await using (var db = host.CreateDbContext())
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(PreviousMigration);
            Assert.DoesNotContain("DailyApplicationCounts", await TablesAsync(db));
            await migrator.MigrateAsync();
        }

        AssertSame(kept, await CountersAsync(host));
        Assert.Equal(lenders, await RoutedLendersAsync(host));
    }

    private static async Task<List<(Guid Application, Guid? Routed, Guid? Allocated)>> RoutedLendersAsync(LoanHubHost host)
    {
        await using var db = host.CreateDbContext();
        var allocated = await db.Allocations.AsNoTracking().ToDictionaryAsync(a => a.ApplicationId, a => a.LenderId);
        return [.. (await db.Applications.AsNoTracking().Where(a => a.Status == ApplicationStatus.Routed)
                .Select(a => new { a.Id, a.RoutedLenderId }).ToListAsync())
            .Select(a => (a.Id.Value, a.RoutedLenderId?.Value, allocated.TryGetValue(a.Id, out var lender) ? lender.Value : (Guid?)null))
            .OrderBy(a => a.Item1)];
    }

    private static LoanHubHost DemoHost()
    {
        var host = new LoanHubHost();
        host.Settings["LoanHub:Seed:File"] = "";
        host.Settings["LoanHub:Seed:Demo"] = "true";
        host.Settings["LoanHub:Seed:DemoDays"] = "8";
        host.Settings["LoanHub:Seed:DemoApplicantsPerDay"] = "60";
        return host;
    }

    private static async Task<List<string>> TablesAsync(LoanHubDbContext db) =>
        await db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'").ToListAsync();

    internal sealed record ApplicationRow(DateOnly Day, Guid Source, string Status, int Applicants, int Flagged);

    internal sealed record LenderRow(DateOnly Day, Guid Lender, int Leads, decimal Commission);

    // What the counters hold, without the rows that went back to zero (a status every applicant of a day left).
    private static async Task<(List<ApplicationRow> Applications, List<LenderRow> Lenders)> CountersAsync(LoanHubHost host)
    {
        await using var db = host.CreateDbContext();
        var applications = (await db.DailyApplicationCounts.AsNoTracking().ToListAsync())
            .Where(c => c.Applicants != 0 || c.Flagged != 0)
            .Select(c => new ApplicationRow(c.Day, c.SourceId.Value, c.Status.ToString(), c.Applicants, c.Flagged));
        var lenders = (await db.DailyLenderCounts.AsNoTracking().ToListAsync())
            .Where(c => c.Leads != 0 || c.Commission != 0)
            .Select(c => new LenderRow(c.Day, c.LenderId.Value, c.Leads, c.Commission));
        return (Sorted(applications), Sorted(lenders));
    }

    // The same figures counted here, in C#, from the applications, allocations and ledger themselves.
    private static async Task<(List<ApplicationRow> Applications, List<LenderRow> Lenders)> CountStoreAsync(LoanHubHost host)
    {
        await using var db = host.CreateDbContext();
        var applications = (await db.Applications.AsNoTracking().Select(a => new { a.ReceivedAt, a.SourceId, a.Status, a.HasFraudSignals }).ToListAsync())
            .GroupBy(a => (Day: BusinessDay.Of(a.ReceivedAt), a.SourceId, a.Status))
            .Select(g => new ApplicationRow(g.Key.Day, g.Key.SourceId.Value, g.Key.Status.ToString(), g.Count(), g.Count(a => a.HasFraudSignals)));
        var leads = (await db.Allocations.AsNoTracking().Select(a => new { a.AllocatedAt, a.LenderId }).ToListAsync())
            .Select(a => (Day: BusinessDay.Of(a.AllocatedAt), a.LenderId, Leads: 1, Commission: 0m));
        var earned = (await db.CommissionEntries.AsNoTracking().Select(e => new { e.OccurredAt, e.LenderId, e.Amount }).ToListAsync())
            .Select(e => (Day: BusinessDay.Of(e.OccurredAt), e.LenderId, Leads: 0, Commission: e.Amount));
        var lenders = leads.Concat(earned)
            .GroupBy(x => (x.Day, x.LenderId))
            .Select(g => new LenderRow(g.Key.Day, g.Key.LenderId.Value, g.Sum(x => x.Leads), g.Sum(x => x.Commission)))
            .Where(l => l.Leads != 0 || l.Commission != 0);
        return (Sorted(applications), Sorted(lenders));
    }

    private static List<T> Sorted<T>(IEnumerable<T> rows) => [.. rows.OrderBy(r => r!.ToString(), StringComparer.Ordinal)];

    private static void AssertSame((List<ApplicationRow> Applications, List<LenderRow> Lenders) expected, (List<ApplicationRow> Applications, List<LenderRow> Lenders) actual)
    {
        Assert.Equal(expected.Applications, actual.Applications);
        Assert.Equal(expected.Lenders, actual.Lenders);
    }
}
