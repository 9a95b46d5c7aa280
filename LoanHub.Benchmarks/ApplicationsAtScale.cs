using System.Diagnostics;
using System.Net.Http.Json;
using LoanHub.Core.Identity;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Applications;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The applications list on a large store: a store of 10,000 and one of 1,000,000 applications (grown in SQL
/// from applicants posted through the real API, so every row is valid and decryptable), and the list queries
/// an operator runs, timed on both. Prints the median of five runs and the ratio large/small.
///   dotnet run -c Release --project LoanHub.Benchmarks -- applications [large=1000000]
/// </summary>
internal static class ApplicationsAtScale
{
    public static async Task RunAsync(string[] args)
    {
        var large = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var small = await MeasureAsync(10_000);
        var big = await MeasureAsync(large);
        Console.WriteLine();
        Console.WriteLine($"{"query",-42} {"10k (ms)",9} {large / 1000 + "k (ms)",10} {"ratio",7}");
        foreach (var (name, ms) in small)
            Console.WriteLine($"{name,-42} {ms,9:F1} {big[name],10:F1} {big[name] / ms,7:F1}x");
    }

    // Searches by ID are audited, so they need someone signed in.
    private static readonly System.Security.Claims.ClaimsPrincipal Searcher = new(new System.Security.Claims.ClaimsIdentity(
        [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "bench@loanhub.local")], "bench"));

    private static async Task<Dictionary<string, double>> MeasureAsync(int size)
    {
        await using var store = await LargeStore.CreateAsync(size);
        var host = store.Host;
        var service = host.Services.GetRequiredService<ApplicationsService>();
        var options = await service.GetFilterOptionsAsync();
        var today = LoanHub.Core.Engine.BusinessDay.Of(DateTimeOffset.UtcNow);
        var cases = new (string Name, ApplicationFilter Filter, int Page)[]
        {
            ("first page, no filter", new(), 0),
            ("page 200, no filter", new(), 200),
            ("status InReview", new() { Status = LoanHub.Core.Domain.ApplicationStatus.InReview }, 0),
            ("source, last 7 days", new() { Source = options.Sources[0].Id, From = today.AddDays(-6), To = today }, 0),
            ("tier A", new() { Tier = LoanHub.Core.Domain.RiskTier.A }, 0),
            ("lender L2", new() { Lender = options.Lenders.Single(l => l.Code == "L2").Id }, 0),
            ("exact national ID", new() { IdOrPhone = LargeStore.NationalId(7) }, 0),
        };
        var result = new Dictionary<string, double>();
        var dashboard = host.Services.GetRequiredService<LoanHub.Web.Features.Dashboard.DashboardService>();
        await dashboard.LoadAsync(); // warm
        var dashboardTimes = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await dashboard.LoadAsync();
            dashboardTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        dashboardTimes.Sort();
        result["dashboard, all figures"] = dashboardTimes[2];
        foreach (var (name, filter, page) in cases)
        {
            await service.SearchAsync(filter, page, 25, Searcher); // warm
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var found = await service.SearchAsync(filter, page, 25, Searcher);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (found.Rows.Count == 0 && page == 0) throw new InvalidOperationException($"'{name}' found nothing: the benchmark would measure an empty result.");
            }
            times.Sort();
            result[name] = times[2];
        }
        return result;
    }
}
