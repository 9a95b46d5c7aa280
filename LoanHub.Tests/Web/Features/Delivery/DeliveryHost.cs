using System.Text.Json;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web.Features.Delivery;

/// <summary>
/// The real application whose lenders are lender stubs on Kestrel ports: L1 (pre-check and post, stub
/// <see cref="L1"/>), L2 (post only, stub <see cref="L2"/>), both Shanghai only, and L3, a pull lender for
/// Guangdong. The Priority strategy makes the fall-through order L1-CASH, L1-INST, L2-MICRO.
/// </summary>
public class DeliveryHost : IAsyncLifetime
{
    public const string L1Key = "delivery-lender-L1-key-0001";
    public const string L2Key = "delivery-lender-L2-key-0002";
    public const string L3Key = "delivery-lender-L3-key-0003";
    public const string SourceKey = "delivery-source-ADS-key-0001";

    public LenderStub L1 { get; } = new("stub-secret-L1-0123456789abcdefghijklmnop");
    public LenderStub L2 { get; } = new("stub-secret-L2-0123456789abcdefghijklmnop");
    public LoanHubHost Host { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string SeedFile { get; } = Path.Combine(Path.GetTempPath(), "loanhub-tests", $"delivery-{Guid.NewGuid():N}.json");

    protected virtual int DeadlineMs => 1500;
    protected virtual int? CashDailyCap => null;

    public virtual async Task InitializeAsync()
    {
        await L1.StartAsync();
        await L2.StartAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(SeedFile)!);
        await File.WriteAllTextAsync(SeedFile, JsonSerializer.Serialize(Document(), ConfigurationDocument.JsonOptions));
        Host = NewHost(LoanHubHost.NewDatabasePath());
        Client = Host.CreateClient();
    }

    /// <summary>A host over <paramref name="databasePath"/> with this fixture's lenders; a second one over the same file is a restart.</summary>
    public LoanHubHost NewHost(string databasePath)
    {
        var host = LoanHubHost.OnDatabase(databasePath);
        host.Settings["LoanHub:Seed:File"] = SeedFile;
        host.Settings["LoanHub:Delivery:DeadlineMs"] = DeadlineMs.ToString();
        Configure(host);
        return host;
    }

    /// <summary>More settings for the hosts of a derived fixture.</summary>
    protected virtual void Configure(LoanHubHost host) { }

    public virtual ConfigurationDocument Document() => new()
    {
        Sources = [new SourceDocument("ADS", "Ad campaigns", SourceKey)],
        Lenders =
        [
            new LenderDocument("L1", "First Lender", L1Key,
                [Product("L1-CASH", CommissionModel.CPS, weight: 50, priority: 1, province: "31", dailyCap: CashDailyCap),
                 Product("L1-INST", CommissionModel.CPA, weight: 30, priority: 2, province: "31")],
                Delivery: new DeliveryDocument(L1.PrecheckUrl.ToString(), L1.PostUrl.ToString(), L1.Secret, 1000)),
            new LenderDocument("L2", "Second Lender", L2Key,
                [Product("L2-MICRO", CommissionModel.CPL, weight: 20, priority: 3, province: "31")],
                // A long timeout, so that a call cut short by the deadline is told apart from one that ran its course.
                Delivery: new DeliveryDocument(null, L2.PostUrl.ToString(), L2.Secret, 5000)),
            new LenderDocument("L3", "Pull Lender", L3Key,
                [Product("L3-PULL", CommissionModel.CPL, weight: 10, priority: 1, province: "44")]),
        ],
        Routing = new RoutingDocument(RoutingStrategy.Priority),
    };

    protected static ProductDocument Product(string code, CommissionModel model, int weight, int priority, string province, int? dailyCap = null) =>
        new(code, code, ProductType.CashLoan, 1000, 100_000, 1, 36, 18, 60, 0, 0, [province], [], RiskTier.E, dailyCap, null, weight, priority,
            model switch
            {
                CommissionModel.CPS => new CommissionDocument(model, null, 0.02m),
                CommissionModel.CPA => new CommissionDocument(model, 200, null),
                _ => new CommissionDocument(model, 30, null),
            });

    public async Task<List<DeliveryAttempt>> AttemptsAsync(string applicationId)
    {
        await using var db = Host.CreateDbContext();
        var id = new LoanHub.Core.Domain.ApplicationId(Guid.Parse(applicationId));
        return await db.DeliveryAttempts.AsNoTracking().Where(a => a.ApplicationId == id).OrderBy(a => a.Sequence).ToListAsync();
    }

    public async Task<LoanApplication> ApplicationAsync(string applicationId)
    {
        await using var db = Host.CreateDbContext();
        var id = new LoanHub.Core.Domain.ApplicationId(Guid.Parse(applicationId));
        return await db.Applications.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    public LoanHub.Web.Features.Intake.EngineHost Engine => Host.Services.GetRequiredService<LoanHub.Web.Features.Intake.EngineHost>();

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        await Host.DisposeAsync();
        await L1.DisposeAsync();
        await L2.DisposeAsync();
    }
}
