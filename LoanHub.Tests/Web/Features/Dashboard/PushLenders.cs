using System.Text.Json;
using System.Text.Json.Nodes;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Delivery;
using LoanHub.Web.Features.Configuration;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Dashboard;

/// <summary>One push lender to add: its code, the one province its product serves, whether it pre-checks, its timeout.</summary>
internal sealed record PushLender(string Code, string Province, bool Precheck = false, int TimeoutMs = 800, int Priority = 1, int? DailyCap = null);

/// <summary>
/// Push lenders answered by <see cref="LenderStub"/>s, added to the example seed file a host starts with, each with one
/// product for one province. <see cref="Applicant"/> builds applicants only these products take: self-employed, asking
/// ¥60,000 — the example's L1 products want salaried applicants and L2-MICRO lends at most ¥20,000.
/// </summary>
internal sealed class PushLenders : IAsyncDisposable
{
    private readonly Dictionary<string, LenderStub> stubs = [];
    private string? seedFile;

    private PushLenders() { }

    public LenderStub this[string code] => stubs[code];

    /// <summary>
    /// Starts a stub per lender and has <paramref name="host"/> start with them: the example seed file plus these lenders
    /// (and the strategy, when given), applied by the configuration importer at start-up like any seed file. Call it before
    /// the host starts; importing into a running host could race the engine's first load of its state.
    /// </summary>
    public static async Task<PushLenders> AddAsync(LoanHubHost host, RoutingStrategy? strategy, params PushLender[] lenders)
    {
        var added = await StartAsync(strategy, lenders);
        host.Settings["LoanHub:Seed:File"] = added.SeedFile;
        return added;
    }

    /// <summary>The example seed file plus these lenders, for hosts or processes that start with <see cref="SeedFile"/> as their seed.</summary>
    public static async Task<PushLenders> StartAsync(RoutingStrategy? strategy, params PushLender[] lenders)
    {
        var added = new PushLenders();
        var documents = new List<LenderDocument>();
        foreach (var lender in lenders)
        {
            var stub = new LenderStub($"stub-secret-{lender.Code}-0123456789abcdefghijklmnop");
            await stub.StartAsync();
            added.stubs[lender.Code] = stub;
            documents.Add(new LenderDocument(lender.Code, $"Push lender {lender.Code}", $"push-lender-{lender.Code}-key-0001",
                [new ProductDocument($"{lender.Code}-CASH", "Cash loan", ProductType.CashLoan, 1_000, 100_000, 1, 36, 18, 60, 0, 0,
                    [lender.Province], [], RiskTier.E, lender.DailyCap, null, 10, lender.Priority, new CommissionDocument(CommissionModel.CPL, 30, null))],
                Delivery: new DeliveryDocument(lender.Precheck ? stub.PrecheckUrl.ToString() : null, stub.PostUrl.ToString(), stub.Secret, lender.TimeoutMs)));
        }
        var example = ConfigurationDocument.Parse(await File.ReadAllTextAsync(LoanHubHost.ExampleSeedFile));
        var document = example with
        {
            Lenders = [.. example.Lenders, .. documents],
            Routing = strategy is { } s ? new RoutingDocument(s) : example.Routing,
        };
        added.seedFile = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"push-lenders-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(added.seedFile)!);
        await File.WriteAllTextAsync(added.seedFile, JsonSerializer.Serialize(document, ConfigurationDocument.JsonOptions));
        return added;
    }

    /// <summary>The seed file written for these lenders.</summary>
    public string SeedFile => seedFile!;

    /// <summary>An applicant in <paramref name="province"/> that no product of the example seed file takes.</summary>
    public static JsonObject Applicant(int person, string province, decimal amount = 60_000)
    {
        var body = ValidBody(nationalId: NationalId(person));
        body["provinceCode"] = province;
        body["city"] = null;
        body["employment"] = "SelfEmployed";
        body["requestedAmount"] = amount;
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stub in stubs.Values) await stub.DisposeAsync();
        if (seedFile is not null) File.Delete(seedFile);
    }
}
