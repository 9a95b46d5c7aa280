using System.Net;
using System.Text.Json.Nodes;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Sources;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Configuration;

/// <summary>
/// The seed file is applied at every start; a key or secret rotated since (after a leak, say) must survive it unless
/// the file says otherwise for that entry. Real hosts over one store file, restarted. National IDs 750,900–750,999.
/// </summary>
public sealed class KeyRotationTests
{
    private const string SourceRotated = "Source API key rotated";
    private static int people = 750_900;

    private static async Task<HttpStatusCode> PostWithAsync(LoanHubHost host, string apiKey) =>
        (await PostAsync(host.CreateClient(), ValidBody(nationalId: NationalId(Interlocked.Increment(ref people))), apiKey)).StatusCode;

    /// <summary>A store whose first run (example seed) had the ADS source's key rotated through the console's service, then stopped.</summary>
    private static async Task<(string Store, string RotatedKey)> StoreWithAdsRotatedInTheConsoleAsync()
    {
        var store = LoanHubHost.NewDatabasePath();
        using var host = LoanHubHost.OnDatabase(store);
        await using var scope = host.Services.CreateAsyncScope();
        var sources = scope.ServiceProvider.GetRequiredService<SourceService>();
        var ads = (await sources.ListAsync()).Single(s => s.Code == "ADS");
        var rotated = await sources.RotateApiKeyAsync(TestUsers.Principal("ops@test.local", Roles.OperationsManager), ads.Id);
        Assert.True(rotated.Succeeded, rotated.Message);
        return (store, rotated.ApiKey!);
    }

    private static async Task<List<AuditEntry>> AuditOfAsync(LoanHubHost host, string action, string code)
    {
        await using var db = host.CreateDbContext();
        return await db.Audit.AsNoTracking().Where(a => a.Action == action && a.EntityId == code).OrderBy(a => a.Id).ToListAsync();
    }

    private static ConfigurationDocument ExampleSeed() => ConfigurationDocument.Parse(File.ReadAllText(LoanHubHost.ExampleSeedFile));

    [Fact]
    public async Task Source_key_rotated_in_the_console_survives_a_restart_with_the_same_seed()
    {
        var (store, rotated) = await StoreWithAdsRotatedInTheConsoleAsync();

        using var restarted = LoanHubHost.OnDatabase(store);

        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(restarted, rotated));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWithAsync(restarted, AdsKey));
        Assert.Single(await AuditOfAsync(restarted, SourceRotated, "ADS")); // the console's rotation, and no other
    }

    [Fact]
    public async Task Seed_entry_with_replaceApiKey_applies_the_files_key_once_and_audits_the_rotation()
    {
        var (store, rotated) = await StoreWithAdsRotatedInTheConsoleAsync();
        var seed = JsonNode.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile))!;
        seed["sources"]![0]!["replaceApiKey"] = true;
        var seedFile = Path.Combine(TestStores.Folder, $"{Guid.NewGuid():N}.seed.json");
        await File.WriteAllTextAsync(seedFile, seed.ToJsonString());

        using var restarted = LoanHubHost.OnDatabase(store);
        restarted.Settings["LoanHub:Seed:File"] = seedFile;

        Assert.Equal(HttpStatusCode.Created, await PostWithAsync(restarted, AdsKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWithAsync(restarted, rotated));
        var rotations = await AuditOfAsync(restarted, SourceRotated, "ADS");
        Assert.Equal(2, rotations.Count);
        var bySeed = rotations[^1];
        Assert.Equal(("seed:" + Path.GetFileName(seedFile), "Lenders", nameof(TrafficSource)), (bySeed.Actor, bySeed.Area, bySeed.EntityType));
        Assert.Equal((null, null), (bySeed.Before, bySeed.After)); // never the key
        // Applied again, the same file finds the key it names already in place.
        var again = await restarted.Services.GetRequiredService<ConfigurationImporter>().ApplyAsync(ConfigurationDocument.Parse(seed.ToJsonString()), "test");
        Assert.False(again.ChangedAnything, again.ToString());
    }

    [Fact]
    public async Task Lenders_key_in_a_file_replaces_the_current_one_only_with_replaceApiKey()
    {
        using var host = new LoanHubHost();
        _ = host.Server;
        var importer = host.Services.GetRequiredService<ConfigurationImporter>();
        var document = ExampleSeed();
        var l1 = document.Lenders.Single(l => l.Code == "L1") with { ApiKey = "lender-L1-key-from-the-file-0001" };

        var ignored = await importer.ApplyAsync(document with { Lenders = [l1] }, "test");
        var applied = await importer.ApplyAsync(document with { Lenders = [l1 with { ReplaceApiKey = true }] }, "test");

        Assert.False(ignored.ChangedAnything, ignored.ToString());
        Assert.Equal((0, 1), (applied.Created, applied.Updated));
        await using var db = host.CreateDbContext();
        Assert.Equal(ApiKeys.Hash(l1.ApiKey!), (await db.Lenders.SingleAsync(l => l.Code == "L1")).ApiKeyHash);
        var audit = Assert.Single(await AuditOfAsync(host, "Lender API key rotated", "L1"));
        Assert.Equal(("test", null, null), (audit.Actor, audit.Before, audit.After));
        Assert.Empty(await AuditOfAsync(host, "Lender updated", "L1"));
    }

    [Fact]
    public async Task ReplaceApiKey_without_a_key_is_refused_naming_the_entry_and_changes_nothing()
    {
        using var host = new LoanHubHost();
        _ = host.Server;
        var document = ExampleSeed();
        var withoutKey = document with { Sources = [document.Sources[0] with { Name = "Renamed", ApiKey = null, ReplaceApiKey = true }] };

        var refused = await Assert.ThrowsAsync<ConfigurationException>(
            () => host.Services.GetRequiredService<ConfigurationImporter>().ApplyAsync(withoutKey, "test"));

        Assert.Contains("source ADS", refused.Message);
        Assert.Contains("replaceApiKey", refused.Message);
        await using var db = host.CreateDbContext();
        Assert.Equal("Ad campaigns", (await db.Sources.SingleAsync(s => s.Code == "ADS")).Name);
    }

    [Fact]
    public async Task Delivery_secret_in_a_file_replaces_the_current_one_only_with_replaceSecret()
    {
        using var host = new LoanHubHost();
        _ = host.Server;
        var importer = host.Services.GetRequiredService<ConfigurationImporter>();
        const string first = "first-signing-secret-0123456789abcdef", second = "second-signing-secret-0123456789abcdef";
        var delivery = new DeliveryDocument("https://lender.example.com/precheck", "https://lender.example.com/post", first, 3_000);
        var lender = new LenderDocument("T-PUSH", "Push lender", "push-lender-key-0123456789", [], Delivery: delivery);
        await importer.ApplyAsync(new ConfigurationDocument { Lenders = [lender] }, "test");

        var kept = await importer.ApplyAsync(new ConfigurationDocument { Lenders = [lender with { Delivery = delivery with { Secret = second } }] }, "test");
        Assert.False(kept.ChangedAnything, kept.ToString());
        Assert.Equal(first, await SecretOfAsync());

        var replaced = await importer.ApplyAsync(new ConfigurationDocument
        {
            Lenders = [lender with { Delivery = delivery with { Secret = second, ReplaceSecret = true } }],
        }, "test");
        Assert.Equal(1, replaced.Updated);
        Assert.Equal(second, await SecretOfAsync());
        var audit = Assert.Single(await AuditOfAsync(host, "Lender delivery secret rotated", "T-PUSH"));
        Assert.Equal((null, null), (audit.Before, audit.After));

        async Task<string?> SecretOfAsync()
        {
            await using var db = host.CreateDbContext();
            return (await db.Lenders.AsNoTracking().SingleAsync(l => l.Code == "T-PUSH")).DeliverySecret;
        }
    }
}
