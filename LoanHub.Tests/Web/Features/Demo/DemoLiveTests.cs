using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Demo;
using LoanHub.Web.Features.Intake;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Demo;

/// <summary>The demo after start-up, against the real application: live traffic on a Kestrel port, the lenders' postbacks on a controlled clock.</summary>
public class DemoLiveTests
{
    [Fact]
    public async Task Live_traffic_posts_new_applicants_through_the_intake_API_of_the_listening_server()
    {
        using var host = DemoLiveHost.OnDemoStore();
        host.Settings[DemoLiveTraffic.EnabledKey] = "true";
        host.UseKestrel(0);
        host.StartServer();
        var port = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        Assert.NotEqual(5000, port); // the seeded port: the lenders have to be moved
        var contexts = host.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>();

        var live = await PollAsync(TimeSpan.FromSeconds(30), async () =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var sources = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code);
            var applications = await db.Applications.AsNoTracking().Select(a => new { a.ExternalRef, a.SourceId }).ToListAsync();
            var posted = applications.Where(a => a.ExternalRef.Contains("-LIVE-", StringComparison.Ordinal))
                .Select(a => (a.ExternalRef, Source: sources[a.SourceId])).ToList();
            return posted.Count >= 2 ? posted : null;
        });

        Assert.All(live, a =>
        {
            Assert.Matches("^(ADS|APP|SOC)-LIVE-[0-9]{14}-[0-9]{6}$", a.ExternalRef);
            Assert.StartsWith(a.Source + "-", a.ExternalRef); // posted with that source's own key
        });
        // Traffic starts only once the simulated lenders point at this server instead of the seeded port.
        await using var check = await contexts.CreateDbContextAsync();
        var push = (await check.Lenders.AsNoTracking().ToListAsync()).Where(l => l.IsPush).ToList();
        Assert.NotEmpty(push);
        Assert.All(push, l =>
        {
            Assert.Equal(port, new Uri(l.Delivery!.PostUrl).Port);
            if (l.Delivery.PrecheckUrl is { } precheck) Assert.Equal(port, new Uri(precheck).Port);
        });
    }

    [Fact]
    public async Task Demo_lenders_report_the_outcomes_due_on_new_leads_through_the_postback_API()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = DemoLiveHost.OnDemoStore();
        host.Clock = clock;
        var client = host.CreateClient();
        await PausePushLendersAsync(host.Services); // nothing listens at their loopback address under the in-memory server
        clock.Advance(TimeSpan.FromSeconds(1)); // the new leads come after the generated history
        var since = clock.GetUtcNow();

        var feed = new DemoApplicantFeed(seed: 7, runTag: "TEST");
        for (var i = 0; i < 40; i++)
        {
            var item = feed.Next(clock.GetUtcNow());
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
            {
                Content = JsonContent.Create(DemoApplicantFeed.RequestOf(item), options: JsonSerializerOptions.Web),
            };
            request.Headers.Add(IntakeApi.ApiKeyHeader, DemoApplicantFeed.KeyOf(item.SourceCode));
            (await client.SendAsync(request)).EnsureSuccessStatusCode();
        }
        var reporter = ActivatorUtilities.CreateInstance<DemoLenderReporter>(host.Services);

        Assert.Equal(0, await reporter.ReportDueAsync(client, since, CancellationToken.None)); // no lender answers within two minutes

        clock.Advance(TimeSpan.FromMinutes(5));
        var decided = await reporter.ReportDueAsync(client, since, CancellationToken.None);
        var leads = await LeadsSinceAsync(host.Services, since);
        Assert.NotEmpty(leads);
        Assert.Equal(leads.Count, decided);
        Assert.All(leads, lead => Assert.Equal(DemoLenderVerdict.For(lead.ApplicationId).Approved ? DeliveryStatus.Approved : DeliveryStatus.Declined, lead.Status));

        clock.Advance(TimeSpan.FromMinutes(10));
        var funded = await reporter.ReportDueAsync(client, since, CancellationToken.None);
        leads = await LeadsSinceAsync(host.Services, since);
        Assert.Equal(leads.Count(l => DemoLenderVerdict.For(l.ApplicationId).FundedAfter is not null), funded);
        Assert.All(leads, lead =>
        {
            var verdict = DemoLenderVerdict.For(lead.ApplicationId);
            var expected = !verdict.Approved ? DeliveryStatus.Declined : verdict.FundedAfter is null ? DeliveryStatus.Approved : DeliveryStatus.Funded;
            Assert.Equal(expected, lead.Status);
            if (expected == DeliveryStatus.Funded) Assert.InRange(lead.FundedAmount!.Value, 0.01m, lead.RequestedAmount);
            else Assert.Null(lead.FundedAmount);
        });

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await reporter.ReportDueAsync(client, since, CancellationToken.None)); // everything due was said once
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContextAsync();
        var reports = await db.Outcomes.AsNoTracking().Select(o => o.EventId).ToListAsync();
        Assert.Equal(decided + funded, reports.Count(e => e.StartsWith("demo-", StringComparison.Ordinal)));
    }

    private static async Task PausePushLendersAsync(IServiceProvider services)
    {
        List<LenderDocument> pause;
        await using (var db = await services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContextAsync())
        {
            pause = (await db.Lenders.AsNoTracking().ToListAsync()).Where(l => l.IsPush)
                .Select(l => new LenderDocument(l.Code, l.Name, ApiKey: null, Products: null, Active: false)).ToList();
        }
        await services.GetRequiredService<ConfigurationImporter>().ApplyAsync(new ConfigurationDocument { Lenders = pause }, "test");
        services.GetRequiredService<EngineHost>().CatalogChanged();
    }

    private sealed record Lead(ApplicationId ApplicationId, DeliveryStatus Status, decimal? FundedAmount, decimal RequestedAmount);

    private static async Task<List<Lead>> LeadsSinceAsync(IServiceProvider services, DateTimeOffset since)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContextAsync();
        return await (from allocation in db.Allocations.AsNoTracking()
                      where allocation.AllocatedAt >= since
                      join application in db.Applications on allocation.ApplicationId equals application.Id
                      select new Lead(allocation.ApplicationId, allocation.Status, allocation.FundedAmount, application.Applicant.RequestedAmount))
            .ToListAsync();
    }

    private static async Task<T> PollAsync<T>(TimeSpan timeout, Func<Task<T?>> probe) where T : class
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found) return found;
            if (watch.Elapsed > timeout) throw new TimeoutException($"Nothing arrived within {timeout.TotalSeconds:N0} s.");
            await Task.Delay(250);
        }
    }
}

/// <summary>The application with the demo's live services added, as the demo wiring adds them.</summary>
internal sealed class DemoLiveHost : LoanHubHost
{
    /// <summary>Over a small demo store (one day of history), without the example seed file, whose lenders would keep the demo catalog out.</summary>
    public static DemoLiveHost OnDemoStore()
    {
        var host = new DemoLiveHost();
        host.Settings["LoanHub:Seed:Demo"] = "true";
        host.Settings["LoanHub:Seed:File"] = "";
        host.Settings["LoanHub:Seed:DemoDays"] = "1";
        host.Settings["LoanHub:Seed:DemoApplicantsPerDay"] = "10";
        return host;
    }

    // Not WithWebHostBuilder: a derived factory ignores UseKestrel(0) and listens on Kestrel's default localhost:5000.
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddDemoLiveServices());
    }
}
