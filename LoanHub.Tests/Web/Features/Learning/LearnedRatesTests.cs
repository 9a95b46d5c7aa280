using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LoanHub.Tests.Web.Features.Account;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Learning;

/// <summary>
/// Outcomes generated from approval rates the engine is not told, reported through the real postback API, learned from
/// the store, and routed by: two lenders with the same CPA contract differ only in whom they approve.
/// </summary>
public class LearnedRatesTests
{
    private const string Password = "Learned-Rates-Passw0rd";
    private const string T1Key = "learning-lender-T1-6a1f03c9";
    private const string T2Key = "learning-lender-T2-90d4b7e2";
    private static int people = 820_000;

    /// <summary>The hidden truth: T1 approves tier A far more often, T2 approves tier C far more often.</summary>
    private static readonly Dictionary<(string Product, string Tier), double> Truth = new()
    {
        [("T1-LOAN", "A")] = 0.80,
        [("T1-LOAN", "C")] = 0.20,
        [("T2-LOAN", "A")] = 0.50,
        [("T2-LOAN", "C")] = 0.45,
    };

    [Fact]
    public async Task Learned_approval_rates_come_within_five_points_of_the_truth_and_expected_value_then_routes_tier_A_and_tier_C_to_different_products()
    {
        var store = LoanHubHost.NewDatabasePath();
        await using (var first = HostOn(store, "Weighted"))
        {
            var client = first.CreateClient();
            // Weighted 50/50 spreads 400 applicants, tier A or C at random (not alternating, which the round-robin's own
            // alternation would mirror), over both products: about 100 leads per product and tier.
            var random = new Random(20261201);
            var tiers = Enumerable.Range(0, 400).Select(_ => random.Next(2) == 0 ? "A" : "C").ToArray();
            var routed = new ConcurrentBag<(string Id, string Product, string Tier)>();
            await Parallel.ForEachAsync(tiers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (tier, _) =>
            {
                var created = await ReadAsync(await PostAsync(client, Applicant(tier)));
                routed.Add(((string)created["applicationId"]!, (string)created["routedTo"]!["productCode"]!, tier));
            });
            var cells = routed.GroupBy(r => (r.Product, r.Tier)).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Id, StringComparer.Ordinal).ToList());
            Assert.All(Truth.Keys, key => Assert.True(cells.GetValueOrDefault(key)?.Count >= 70, $"{key} got too few leads to learn from"));

            // Each cell's outcomes at exactly its hidden rate, spread evenly over its leads, reported by its lender.
            var reports = cells.SelectMany(cell => cell.Value.Select((lead, i) =>
                (lead.Id, Key: cell.Key.Product == "T1-LOAN" ? T1Key : T2Key, Approved: Math.Floor((i + 1) * Truth[cell.Key]) > Math.Floor(i * Truth[cell.Key]))));
            await Parallel.ForEachAsync(reports, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (report, _) =>
                Assert.Equal(HttpStatusCode.OK, (await TwoCpaLenders.PostbackAsync(client, report.Id, report.Approved ? "Approved" : "Declined", report.Key)).StatusCode));

            await first.Services.GetRequiredService<LearnedRatesRefresher>().RefreshAsync();
            AssertNearTruth(await InsightsAsync(first), cells);
        }

        // A restart counts the outcomes again from the store at start; the routing file now asks for expected value.
        await using var second = HostOn(store, "ExpectedValue");
        AssertNearTruth(await InsightsAsync(second), null);
        var secondClient = second.CreateClient();
        var tierA = await ReadAsync(await PostAsync(secondClient, Applicant("A")));
        var tierC = await ReadAsync(await PostAsync(secondClient, Applicant("C")));
        Assert.Equal(("T1-LOAN", "T2-LOAN"), ((string?)tierA["routedTo"]?["productCode"], (string?)tierC["routedTo"]?["productCode"]));
    }

    [Fact]
    public async Task Insights_json_answers_the_routing_readers_with_every_product_for_tiers_A_to_E_and_refuses_others()
    {
        await using var host = HostOn(LoanHubHost.NewDatabasePath(), "Weighted");
        var document = await InsightsAsync(host);
        Assert.Equal(["asOf", "products"], document.Select(p => p.Key));
        var products = document["products"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(["T1-LOAN", "T1-LOAN", "T1-LOAN", "T1-LOAN", "T1-LOAN", "T2-LOAN", "T2-LOAN", "T2-LOAN", "T2-LOAN", "T2-LOAN"],
            products.Select(p => (string)p["product"]!));
        Assert.Equal(["A", "B", "C", "D", "E"], products.Take(5).Select(p => (string)p["tier"]!));
        Assert.Equal(["lender", "product", "tier", "leads", "accepted", "approved", "funded", "acceptanceRate", "approvalRate", "fundingRatio", "medianHoursToApproval"],
            products[0].Select(p => p.Key));
        // No outcomes yet: the priors, today's defaults.
        Assert.Equal((0, 0.60, 1.0), ((int)products[0]["leads"]!, (double)products[0]["approvalRate"]!, (double)products[0]["fundingRatio"]!));

        foreach (var role in (string[])[Roles.Admin, Roles.OperationsManager])
            Assert.Equal(HttpStatusCode.OK, (await (await AccountClient.SignedInAsNewUserAsync(host, role, Password)).Client.Http.GetAsync(InsightsEndpoints.Path)).StatusCode);
        var reviewer = (await AccountClient.SignedInAsNewUserAsync(host, Roles.ComplianceReviewer, Password)).Client;
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.Http.GetAsync(InsightsEndpoints.Path)).StatusCode);
        Assert.Contains("/Account/Login", await AccountClient.For(host).RedirectOfAsync(InsightsEndpoints.Path), StringComparison.Ordinal);
    }

    private static void AssertNearTruth(JsonObject insights, Dictionary<(string, string), List<(string Id, string Product, string Tier)>>? cells)
    {
        var learned = insights["products"]!.AsArray().Select(p => p!.AsObject())
            .ToDictionary(p => ((string)p["product"]!, (string)p["tier"]!));
        foreach (var (key, truth) in Truth)
        {
            var row = learned[key];
            Assert.InRange((double)row["approvalRate"]!, truth - 0.05, truth + 0.05);
            if (cells is not null) Assert.Equal(cells[key].Count, (int)row["approved"]! + DeclinedOf(cells[key].Count, truth));
            Assert.Equal((int)row["leads"]!, (int)row["accepted"]!); // pull lenders take every lead they are given
        }
    }

    private static int DeclinedOf(int leads, double rate) => leads - (int)Math.Floor(leads * rate);

    private static async Task<JsonObject> InsightsAsync(LoanHubHost host)
    {
        var analyst = (await AccountClient.SignedInAsNewUserAsync(host, Roles.Analyst, Password)).Client;
        var response = await analyst.Http.GetAsync(InsightsEndpoints.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A salaried Shanghai applicant the scorecard puts in tier A (bureau 760) or tier C (bureau 520).</summary>
    private static JsonObject Applicant(string tier)
    {
        var body = ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)));
        body["bureauScore"] = tier == "A" ? 760 : 520;
        return body;
    }

    private static LoanHubHost HostOn(string store, string strategy)
    {
        var host = LoanHubHost.OnDatabase(store);
        host.Settings["LoanHub:Seed:File"] = TwoCpaLenders.SeedFile(T1Key, T2Key, strategy);
        return host;
    }
}
