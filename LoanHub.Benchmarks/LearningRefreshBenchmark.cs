using System.Diagnostics;
using LoanHub.Web.Features.Learning;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What one refresh of the learned rates costs on a store of realistic size (ADR 0009): applicants posted through the
/// real API and grown in SQL to <c>rows</c> applications with their assessments and allocations, one delivery attempt per
/// allocation, and lender outcomes (approved, declined, funded, times to approval) spread over them. Prints the median of
/// five refreshes and the process's allocations during one.
///   dotnet run -c Release --project LoanHub.Benchmarks -- learning [rows=100000]
/// </summary>
internal static class LearningRefreshBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0]) : 100_000;
        var grow = Stopwatch.StartNew();
        await using var store = await LargeStore.CreateAsync(rows);
        await AddAttemptsAndOutcomesAsync(store.DatabasePath);
        Console.WriteLine($"store of {rows:N0} applications with attempts and outcomes grown in {grow.Elapsed.TotalSeconds:F1} s");
        var host = store.Host;

        var refresher = host.Services.GetRequiredService<LearnedRatesRefresher>();
        await refresher.RefreshAsync(); // warm
        var times = new List<double>();
        long allocated = 0;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            var rates = await refresher.RefreshAsync();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            if (i == 0) Console.WriteLine($"{rates.Products.Count} product × tier groups, {rates.Products.Sum(r => r.Counts.Decided):N0} decided outcomes");
        }
        times.Sort();
        Console.WriteLine($"refresh of the learned rates: median {times[2]:F0} ms (min {times[0]:F0}, max {times[4]:F0}), {allocated / 1024.0:F0} KiB allocated per refresh");
    }

    // The example seed has only pull lenders; each allocation gets an accepted attempt (with pre-check) all the same, so the
    // attempts' GROUP BY runs over as many rows as the allocations'. Outcomes: 10 % unreported, then about 45 % approved
    // (a third of those funded at 60–100 %), the rest declined, approvals 2–48 hours after delivery.
    private static Task AddAttemptsAndOutcomesAsync(string databasePath)
    {
        const string sql = """
            INSERT INTO DeliveryAttempts (Id, ApplicationId, LenderId, ProductId, Sequence, CreatedAt, WithPrecheck, ExpectedCommission,
              PrecheckResult, PrecheckLatencyMs, PostResult, PostLatencyMs, Outcome, CompletedAt)
              SELECT upper(substr(h,1,8)||'-'||substr(h,9,4)||'-'||substr(h,13,4)||'-'||substr(h,17,4)||'-'||substr(h,21,12)),
                ApplicationId, LenderId, ProductId, 1, AllocatedAt, 1, ExpectedCommission, 'Accepted', 40, 'Accepted', 80, 'Accepted', AllocatedAt
              FROM (SELECT hex(randomblob(16)) AS h, * FROM Allocations);
            CREATE TEMP TABLE draw (Id TEXT PRIMARY KEY, d INTEGER, m INTEGER);
            INSERT INTO draw SELECT Id, abs(random()) % 1000, abs(random()) % 2880 FROM Allocations;
            UPDATE Allocations SET
              Status = (SELECT CASE WHEN d < 100 THEN 'Delivered' WHEN d < 250 THEN 'Funded' WHEN d < 550 THEN 'Approved' ELSE 'Declined' END FROM draw WHERE draw.Id = Allocations.Id),
              MinutesToApproval = (SELECT CASE WHEN d BETWEEN 100 AND 549 THEN 120 + m END FROM draw WHERE draw.Id = Allocations.Id);
            UPDATE Allocations SET FundedAmount = (SELECT a.RequestedAmount * (60 + abs(random()) % 41) / 100 FROM Applications a WHERE a.Id = Allocations.ApplicationId)
              WHERE Status = 'Funded';
            ANALYZE
            """;
        return LargeStore.RunScriptAsync(databasePath, sql);
    }
}
