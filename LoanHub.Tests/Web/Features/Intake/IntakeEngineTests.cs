using System.Net;
using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Intake;

public class IntakeEngineTests
{
    [Fact]
    public async Task Daily_cap_of_10_holds_under_concurrent_intake()
    {
        using var host = new LoanHubHost();
        _ = host.Server;
        await ExampleCatalog.CapAllProductsAsync(host, dailyCap: 10);

        var client = host.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => PostAsync(client, ValidBody(nationalId: NationalId(700_000 + i)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var statuses = await Task.WhenAll(responses.Select(async r => (string?)(await ReadAsync(r))["status"]));
        await using var db = host.CreateDbContext();
        var perProduct = await db.Allocations.GroupBy(a => a.ProductId).Select(g => g.Count()).ToListAsync();
        Assert.All(perProduct, count => Assert.True(count <= 10, $"a product got {count} leads with a daily cap of 10"));
        Assert.Equal(statuses.Count(s => s == "Routed"), perProduct.Sum());
        Assert.Contains("Unmatched", statuses);
    }

    [Fact]
    public async Task Third_identity_on_one_device_goes_to_review_as_a_ring()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        var device = $"shared-{Guid.NewGuid():N}";

        var statuses = new List<string?>();
        for (var i = 0; i < 3; i++)
            statuses.Add((string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(800_000 + i), deviceId: device))))["status"]);

        Assert.Equal("InReview", statuses[2]);
        await using var db = host.CreateDbContext();
        var review = await db.ReviewCases.SingleAsync();
        Assert.Contains("DEVICE_SHARED", review.Reasons);
        Assert.Contains("RING", review.Reasons);
        Assert.NotNull(review.ClusterId);
    }

    [Fact]
    public async Task Restart_loses_no_fraud_history()
    {
        var path = LoanHubHost.NewDatabasePath();
        var device = $"shared-{Guid.NewGuid():N}";
        using (var host = LoanHubHost.OnDatabase(path))
        {
            var client = host.CreateClient();
            for (var i = 0; i < 2; i++)
                Assert.Equal("Routed", (string?)(await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(810_000 + i), deviceId: device))))["status"]);
        }
        using var restarted = LoanHubHost.OnDatabase(path);
        var third = await ReadAsync(await PostAsync(restarted.CreateClient(), ValidBody(nationalId: NationalId(810_002), deviceId: device)));
        Assert.Equal("InReview", (string?)third["status"]);
        var again = await ReadAsync(await PostAsync(restarted.CreateClient(), ValidBody(nationalId: NationalId(810_000))));
        Assert.Equal("Duplicate", (string?)again["status"]);
    }

    [Fact]
    public async Task Engine_scores_with_the_configured_scorecard_table()
    {
        using var host = new LoanHubHost();
        var shipped = LoanHub.Core.Engine.ScorecardDefinition.FromJson(await File.ReadAllTextAsync(Path.Combine(LoanHubHost.RepositoryRoot, "LoanHub.Web", "scorecard.json")));
        var id = (string)(await ReadAsync(await PostAsync(host.CreateClient(), ValidBody())))["applicationId"]!;
        await using var db = host.CreateDbContext();
        var assessment = await db.Assessments.SingleAsync(a => a.ApplicationId == new ApplicationId(Guid.Parse(id)));
        Assert.Equal(shipped.Version, assessment.ScorecardVersion);
    }

    [Fact]
    public async Task Demo_data_goes_through_the_engine_and_is_the_same_for_the_same_seed()
    {
        var counts = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            using var host = new LoanHubHost();
            host.Settings["LoanHub:Seed:File"] = "";
            host.Settings["LoanHub:Seed:Demo"] = "true";
            host.Settings["LoanHub:Seed:DemoDays"] = "3";
            host.Settings["LoanHub:Seed:DemoApplicantsPerDay"] = "40";
            _ = host.Server;
            await using var db = host.CreateDbContext();
            var applications = await db.Applications.CountAsync();
            Assert.InRange(applications, 90, 160);
            Assert.Equal(applications, await db.Assessments.CountAsync()); // every applicant has a decision record
            Assert.Equal(8, await db.Lenders.CountAsync());
            Assert.Equal(20, await db.Products.CountAsync());
            Assert.True(await db.Allocations.AnyAsync());
            var byStatus = await db.Applications.GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() }).OrderBy(g => g.Key).ToListAsync();
            counts.Add(string.Join(",", byStatus.Select(s => $"{s.Key}={s.Count}")));
        }
        // The end time moves between runs, but the generated traffic and so its decisions do not.
        Assert.Equal(counts[0], counts[1]);
    }
}
