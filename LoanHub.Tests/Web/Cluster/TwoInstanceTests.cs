using System.Diagnostics;
using System.Net;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using LoanHub.Tests.Web.Features.Intake;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Cluster;

/// <summary>
/// Two instances of LoanHub (two hosts, each with its own writer and in-memory state) on one PostgreSQL database, the
/// only thing they share: every decision guarantee holds as if one instance had decided everything (ADR 0013).
/// </summary>
public sealed class TwoInstanceTests : IDisposable
{
    private const string Why = "several instances share a PostgreSQL store; a SQLite file has one";
    private readonly string store = LoanHubHost.NewDatabasePath();
    private readonly LoanHubHost first;
    private readonly LoanHubHost second;

    public TwoInstanceTests()
    {
        first = LoanHubHost.OnDatabase(store);
        if (TestStores.OnPostgres) _ = first.Server; // migrates and seeds before the second starts
        second = LoanHubHost.OnDatabase(store);
        // Both are up before a test changes the catalog: the seed file, applied at every start, would set the caps back.
        if (TestStores.OnPostgres) _ = second.Server;
    }

    public void Dispose()
    {
        second.Dispose();
        first.Dispose();
    }

    [PostgresFact(Why)]
    public async Task A_daily_cap_holds_with_intake_spread_over_both_instances()
    {
        await CapAllProductsAsync(dailyCap: 10);
        var clients = new[] { first.CreateClient(), second.CreateClient() };

        var responses = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => PostAsync(clients[i % 2], ValidBody(nationalId: NationalId(710_000 + i)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var statuses = await Task.WhenAll(responses.Select(async r => (string?)(await ReadAsync(r))["status"]));
        await using var db = first.CreateDbContext();
        var perProduct = await db.Allocations.GroupBy(a => a.ProductId).Select(g => g.Count()).ToListAsync();
        Assert.All(perProduct, count => Assert.True(count <= 10, $"a product got {count} leads with a daily cap of 10"));
        Assert.Equal(statuses.Count(s => s == "Routed"), perProduct.Sum());
        Assert.Contains("Unmatched", statuses);
        Assert.True(await db.WriterTurns.Select(t => t.Instance).Distinct().CountAsync() == 2, "both instances decided some of the groups");
    }

    [PostgresFact(Why)]
    public async Task The_same_applicant_sent_to_both_instances_at_once_is_routed_once()
    {
        var clients = new[] { first.CreateClient(), second.CreateClient() };
        var statuses = new List<string?>();
        for (var round = 0; round < 5; round++)
        {
            var nationalId = NationalId(720_000 + round);
            var answers = await Task.WhenAll(clients.Select(c => PostAsync(c, ValidBody(nationalId: nationalId))));
            var pair = await Task.WhenAll(answers.Select(async r => (string?)(await ReadAsync(r))["status"]));
            Assert.Equal(["Duplicate", "Routed"], pair.Order());
            statuses.AddRange(pair);
        }
        Assert.Equal(5, statuses.Count(s => s == "Routed"));
    }

    [PostgresFact(Why)]
    public async Task The_same_external_reference_sent_to_both_instances_at_once_is_decided_once()
    {
        var clients = new[] { first.CreateClient(), second.CreateClient() };
        for (var round = 0; round < 5; round++)
        {
            var body = ValidBody(externalRef: $"BOTH-{round}", nationalId: NationalId(730_000 + round));
            var answers = await Task.WhenAll(clients.Select(c => PostAsync(c, body.DeepClone())));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], answers.Select(a => a.StatusCode).Order());
            var ids = await Task.WhenAll(answers.Select(async r => (string?)(await ReadAsync(r))["applicationId"]));
            Assert.Single(ids.Distinct());

            var changed = body.DeepClone();
            changed["requestedAmount"] = 30000;
            Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(clients[(round + 1) % 2], changed)).StatusCode);
        }
        await using var db = first.CreateDbContext();
        Assert.Equal(5, await db.Applications.CountAsync(a => a.ExternalRef.StartsWith("BOTH-")));
    }

    [PostgresFact(Why)]
    public async Task A_ring_is_found_across_instances()
    {
        var clients = new[] { first.CreateClient(), second.CreateClient() };
        var device = $"shared-{Guid.NewGuid():N}";
        var statuses = new List<string?>();
        for (var i = 0; i < 3; i++)
            statuses.Add((string?)(await ReadAsync(await PostAsync(clients[i % 2], ValidBody(nationalId: NationalId(740_000 + i), deviceId: device))))["status"]);

        Assert.Equal("InReview", statuses[2]);
        await using var db = first.CreateDbContext();
        var review = await db.ReviewCases.SingleAsync();
        Assert.Contains("RING", review.Reasons);
    }

    [PostgresFact(Why)]
    public async Task Weighted_shares_over_both_instances_are_the_shares_of_one()
    {
        // Both instances take turns on one round-robin position: the cluster's sequence of winners is the one a single
        // instance gives for the same applicants in the same order.
        var clients = new[] { first.CreateClient(), second.CreateClient() };
        var spread = new List<string?>();
        for (var i = 0; i < 24; i++)
            spread.Add((string?)(await ReadAsync(await PostAsync(clients[i % 2], ValidBody(nationalId: NationalId(750_000 + i)))))["routedTo"]?["productCode"]);

        using var alone = new LoanHubHost();
        var client = alone.CreateClient();
        var single = new List<string?>();
        for (var i = 0; i < 24; i++)
            single.Add((string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(750_000 + i)))))["routedTo"]?["productCode"]);

        Assert.True(single.Distinct().Count() > 1, "the applicants are shared among several products");
        Assert.Equal(single, spread);
    }

    [PostgresFact(Why)]
    public async Task A_routing_policy_saved_on_one_instance_is_used_by_the_other_within_a_second()
    {
        var client = second.CreateClient();
        Assert.Equal("Routed", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(760_000)))))["status"]);

        // Saved on the first instance alone, which tells the others.
        await CapAllProductsAsync(dailyCap: 1, tellBoth: false);
        var changed = Stopwatch.StartNew();
        string? status;
        var n = 0;
        do status = (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(760_001 + n++)))))["status"];
        while (status == "Routed" && changed.Elapsed < TimeSpan.FromSeconds(1));

        Assert.Equal("Unmatched", status); // the caps of one lead a day are full: without the new policy it would route on
    }

    private async Task CapAllProductsAsync(int dailyCap, bool tellBoth = true)
    {
        await ExampleCatalog.CapAllProductsAsync(first, dailyCap);
        // The second instance hears of it through the store; told directly too, the test knows when it does.
        if (tellBoth) second.Services.GetRequiredService<EngineHost>().CatalogChanged();
    }
}
