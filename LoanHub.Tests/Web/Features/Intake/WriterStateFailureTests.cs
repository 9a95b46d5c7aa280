using System.Data.Common;
using System.Net;
using LoanHub.Tests.Web.Privacy;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Intake;

/// <summary>
/// The writer's state when the store fails it or time moves on (ADR 0008): a load that fails answers its group with an
/// error of its own and the next group tries again; the fraud index is pruned on its schedule. National IDs 810,000–810,999.
/// </summary>
public class WriterStateFailureTests
{
    [Fact]
    public async Task A_history_load_that_fails_answers_its_application_with_a_500_problem_and_the_next_one_after_the_store_recovers_is_routed()
    {
        // The store fails the fraud-history read from the very start: the load at start and at the first group fail.
        var store = new FailingReads(sql => sql.Contains("\"IpHash\"", StringComparison.Ordinal) && sql.Contains("ORDER BY", StringComparison.Ordinal)) { Failing = true };
        using var host = new FailingStoreHost(store);
        using var client = host.CreateClient();
        var engine = host.Services.GetRequiredService<EngineHost>();

        var refused = await PostAsync(client, ValidBody(nationalId: NationalId(810_000))).WaitAsync(TimeSpan.FromSeconds(30));

        await AssertServerProblemAsync(refused);
        Assert.True(store.Failures >= 1);
        await using (var db = host.CreateDbContext()) Assert.Equal(0, await db.Applications.CountAsync());

        store.Failing = false;
        var routed = await PostAsync(client, ValidBody(nationalId: NationalId(810_001)));
        Assert.Equal(HttpStatusCode.Created, routed.StatusCode);
        Assert.Equal("Routed", (string?)(await ReadAsync(routed))["status"]);
        Assert.False(engine.ExecuteTask!.IsCompleted, "the writer stopped");
        // The refused applicant, sent again, is a new application: nothing of the failed group was kept.
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, ValidBody(nationalId: NationalId(810_000)))).StatusCode);
    }

    [Fact]
    public async Task A_catalog_load_that_fails_answers_its_application_with_a_500_problem_keeps_the_history_and_the_next_one_is_routed()
    {
        var store = new FailingReads(sql => sql.Contains("FROM \"Lenders\"", StringComparison.Ordinal) && sql.Contains("JOIN \"Products\"", StringComparison.Ordinal));
        using var host = new FailingStoreHost(store);
        using var client = host.CreateClient();
        var engine = host.Services.GetRequiredService<EngineHost>();
        Assert.Equal("Routed", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(810_100)))))["status"]);
        var loads = engine.StateLoads;

        store.Failing = true;
        engine.CatalogChanged();
        await AssertServerProblemAsync(await PostAsync(client, ValidBody(nationalId: NationalId(810_101))).WaitAsync(TimeSpan.FromSeconds(30)));
        // The change is not forgotten: the next group reads the catalog again, and fails again while the store does.
        await AssertServerProblemAsync(await PostAsync(client, ValidBody(nationalId: NationalId(810_102))).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(store.Failures >= 2);

        store.Failing = false;
        Assert.Equal("Routed", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(810_103)))))["status"]);
        Assert.False(engine.ExecuteTask!.IsCompleted, "the writer stopped");
        Assert.Equal(loads, engine.StateLoads);
        // The history was kept through the failures: the first applicant again is a duplicate.
        Assert.Equal("Duplicate", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(810_100)))))["status"]);
    }

    [Fact]
    public async Task The_fraud_index_is_pruned_every_10_minutes_of_the_clock_and_not_in_between()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero));
        using var host = new LoggedHost { Clock = clock };
        using var client = host.CreateClient();
        async Task PostAtAsync(int n)
        {
            var response = await PostAsync(client, ValidBody(nationalId: NationalId(n)));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        string[] Prunes() => [.. host.Logs.Lines.Where(l => l.Contains("Fraud index pruned", StringComparison.Ordinal))];

        // The state is loaded at start (t0); each application leaves an IP use, which leaves its window an hour later.
        await PostAtAsync(810_200); // t0
        clock.Advance(TimeSpan.FromMinutes(5));
        await PostAtAsync(810_201); // t0+5
        clock.Advance(TimeSpan.FromMinutes(56));
        await PostAtAsync(810_202); // t0+61: due since t0+10; the first IP use is past its hour
        Assert.Single(Prunes());
        Assert.Contains("Dropped=1", Prunes()[0]);

        clock.Advance(TimeSpan.FromMinutes(5));
        await PostAtAsync(810_203); // t0+66: the second use is past its hour, but the last prune was 5 minutes ago
        Assert.Single(Prunes());

        clock.Advance(TimeSpan.FromMinutes(6));
        await PostAtAsync(810_204); // t0+72: due again
        Assert.Equal(2, Prunes().Length);
        Assert.Contains("Dropped=1", Prunes()[1]);
    }

    private static async Task AssertServerProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadAsync(response);
        Assert.Equal(500, (int?)problem["status"]);
        Assert.Contains("externalRef", (string?)problem["detail"], StringComparison.Ordinal);
    }

    /// <summary>The real application whose store fails the reads <see cref="FailingReads"/> picks while it says so.</summary>
    private sealed class FailingStoreHost(FailingReads reads) : LoanHubHost
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<LoanHubDbContext>(options => options.AddInterceptors(reads)));
        }
    }

    /// <summary>A store that answers the chosen queries as a damaged file would, while <see cref="Failing"/> is set.</summary>
    private sealed class FailingReads(Func<string, bool> picks) : DbCommandInterceptor
    {
        private int failures;

        public volatile bool Failing;

        public int Failures => Volatile.Read(ref failures);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            FailIfPicked(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            FailIfPicked(command);
            return ValueTask.FromResult(result);
        }

        private void FailIfPicked(DbCommand command)
        {
            if (!Failing || !picks(command.CommandText)) return;
            Interlocked.Increment(ref failures);
            throw new SqliteException("disk I/O error", 10);
        }
    }
}
