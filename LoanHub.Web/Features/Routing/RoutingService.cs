using System.Security.Claims;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Routing;

/// <summary>One product's routing settings as the routing page edits them.</summary>
public sealed record ProductSetting(
    ProductId ProductId,
    string LenderCode,
    string LenderName,
    string ProductCode,
    string ProductName,
    bool Active,
    int Weight,
    int Priority,
    int? DailyCap,
    decimal? MonthlyBudget,
    string Commission)
{
    public ProductLimits Limits => new(DailyCap, MonthlyBudget, Weight, Priority);

    public string? WeightError => CheckWeight(Weight);
    public string? PriorityError => CheckPriority(Priority);
    public string? DailyCapError => CheckDailyCap(DailyCap);
    public string? MonthlyBudgetError => CheckMonthlyBudget(MonthlyBudget);

    // The bounds ProductLimits enforces, one field at a time, so the page can say which field is wrong
    // instead of the number input quietly clamping a typo (−5 → 0) to something routing would act on.
    public static string? CheckWeight(int weight) => weight is < 0 or > 10_000 ? "Enter 0 to 10,000" : null;
    public static string? CheckPriority(int priority) => priority is < 0 or > 1_000 ? "Enter 0 to 1,000" : null;
    public static string? CheckDailyCap(int? cap) => cap is < 0 ? "Cannot be negative; empty means no cap" : null;
    public static string? CheckMonthlyBudget(decimal? budget) => budget switch
    {
        < 0m => "Cannot be negative; empty means no budget",
        { } amount when !Money.HasAtMostTwoPlaces(amount) => "At most 2 decimals",
        _ => null,
    };

    public bool IsValid => WeightError is null && PriorityError is null && DailyCapError is null && MonthlyBudgetError is null;
}

public sealed record PolicyVersionRow(int Version, RoutingStrategy Strategy, string Comment, string CreatedBy, DateTimeOffset CreatedAt, bool IsActive);

public sealed record RoutingView(int ActiveVersion, RoutingStrategy Strategy, IReadOnlyList<ProductSetting> Products, IReadOnlyList<PolicyVersionRow> Versions);

public sealed record RoutingProposal(RoutingStrategy Strategy, IReadOnlyList<ProductSetting> Products)
{
    public bool IsValid => Products.All(p => p.IsValid);

    /// <summary>The product's weight over the weights of all active products; null while its weight is out of range.</summary>
    public decimal? ShareOf(ProductSetting setting)
    {
        if (setting.WeightError is not null) return null;
        if (!setting.Active) return 0m;
        var total = Products.Where(p => p.Active && p.WeightError is null).Sum(p => p.Weight);
        return total == 0 ? 0m : (decimal)setting.Weight / total;
    }
}

public sealed record SimulationProgress(string Stage, int Done, int Total);

public sealed record SaveResult(bool Succeeded, string Message, int? Version = null);

/// <summary>
/// The routing policy: read it, replay recent applicants under a proposal (the what-if), save a proposal as
/// a new policy version with a comment, and restore an earlier version. Every saved change is audited.
/// </summary>
public sealed class RoutingService(
    IDbContextFactory<LoanHubDbContext> contexts,
    EngineHost engineHost,
    DecisionEngine engine,
    IAuthorizationService authorization,
    TimeProvider clock,
    LearnedRatesBoard learned)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RoutingView> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).OrderBy(l => l.Code).ToListAsync(cancellationToken);
        var versions = await db.RoutingPolicies.AsNoTracking().OrderByDescending(p => p.Version)
            .Select(p => new PolicyVersionRow(p.Version, p.Strategy, p.Comment, p.CreatedBy, p.CreatedAt, p.IsActive))
            .ToListAsync(cancellationToken);
        var active = versions.FirstOrDefault(v => v.IsActive);
        var products = lenders
            .SelectMany(l => l.Products.OrderBy(p => p.Code).Select(p => new ProductSetting(p.Id, l.Code, l.Name, p.Code, p.Name,
                l.IsActive && p.IsActive, p.Limits.Weight, p.Limits.Priority, p.Limits.DailyCap, p.Limits.MonthlyBudget, p.Commission.ToString())))
            .ToList();
        return new RoutingView(active?.Version ?? 0, active?.Strategy ?? RoutingStrategy.Weighted, products, versions);
    }

    /// <summary>Replays the applicants received in [<paramref name="windowStart"/>, <paramref name="windowEnd"/>) under the proposal, beside what happened.</summary>
    public async Task<SimulationResult> SimulateAsync(RoutingProposal proposal, DateTimeOffset windowStart, DateTimeOffset windowEnd,
        IProgress<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new SimulationProgress("Loading applicants", 0, 0));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var catalog = await CatalogAsync(db, proposal, cancellationToken);

        var rows = await (from application in db.Applications.AsNoTracking()
                          join assessment in db.Assessments.AsNoTracking() on application.Id equals assessment.ApplicationId
                          where application.ReceivedAt >= windowStart && application.ReceivedAt < windowEnd && assessment.Decision == Decision.Route
                          orderby application.ReceivedAt
                          select new { application.Id, application.ReceivedAt, application.Applicant, assessment.DecisionRecordJson })
            .ToListAsync(cancellationToken);
        var allocations = await db.Allocations.AsNoTracking()
            .Where(a => a.AllocatedAt >= windowStart && a.AllocatedAt < windowEnd)
            .Select(a => new { a.ApplicationId, a.ProductId, a.ExpectedCommission })
            .ToDictionaryAsync(a => a.ApplicationId, cancellationToken);

        var monthStart = new DateTimeOffset(BusinessDay.MonthOf(BusinessDay.Of(windowStart)).ToDateTime(TimeOnly.MinValue), BusinessDay.ChinaStandardTime);
        var before = await db.Allocations.AsNoTracking()
            .Where(a => a.AllocatedAt >= monthStart && a.AllocatedAt < windowStart)
            .Select(a => new { a.ProductId, a.BusinessDay, a.ExpectedCommission })
            .ToListAsync(cancellationToken);
        var committedBefore = before.GroupBy(a => (a.ProductId, BusinessDay.MonthOf(a.BusinessDay)))
            .ToDictionary(g => g.Key, g => g.Sum(a => a.ExpectedCommission));

        var items = new List<ReplayItem>(rows.Count);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var actual = allocations.GetValueOrDefault(row.Id);
            items.Add(new ReplayItem(row.Id, row.ReceivedAt, ApplicantProfile.From(row.Applicant), DecisionRecord.FromJson(row.DecisionRecordJson),
                actual?.ProductId, actual?.ExpectedCommission ?? 0m));
        }

        var total = items.Count;
        progress?.Report(new SimulationProgress("Replaying", 0, total));
        var replayProgress = progress is null ? null : new Relay(done => progress.Report(new SimulationProgress("Replaying", done, total)));
        // The replay is CPU work: off the circuit's thread so the page stays responsive and can cancel it.
        return await Task.Run(() => new RoutingSimulator(engine, learned.Current).Run(items, catalog, proposal.Strategy, committedBefore, replayProgress, cancellationToken),
            cancellationToken);
    }

    public async Task<SaveResult> SaveAsync(RoutingProposal proposal, string comment, ClaimsPrincipal user, int basedOnVersion, CancellationToken cancellationToken = default)
    {
        if (!(await authorization.AuthorizeAsync(user, Policies.RoutingEdit)).Succeeded)
            return new SaveResult(false, "Your role may read the routing policy but not change it.");
        var actor = user.Identity?.Name ?? "unknown";
        if (string.IsNullOrWhiteSpace(comment)) return new SaveResult(false, "Say why you change the policy: a comment is required.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var active = await db.RoutingPolicies.Where(p => p.IsActive).OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
        if ((active?.Version ?? 0) != basedOnVersion)
            return new SaveResult(false, $"{active?.CreatedBy} saved version {active?.Version} since you opened the page. Reload to see it, then apply your change again.");

        var products = await db.Products.ToDictionaryAsync(p => p.Id, cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().ToDictionaryAsync(l => l.Id, l => l.Code, cancellationToken);
        var at = clock.GetUtcNow();
        var audit = new AuditTrail(db, actor, at);
        foreach (var setting in proposal.Products)
        {
            if (!products.TryGetValue(setting.ProductId, out var product)) return new SaveResult(false, $"Product {setting.ProductCode} no longer exists.");
            ProductLimits limits;
            try
            {
                limits = setting.Limits;
            }
            catch (DomainException e)
            {
                return new SaveResult(false, $"{setting.ProductCode}: {e.Message}");
            }
            if (limits == product.Limits) continue;
            var before = product.Limits;
            product.Update(product.Name, product.Type, product.Criteria, limits, product.Commission);
            audit.Record("Routing", "Product routing changed", nameof(LenderProduct), product.Code, before, limits);
        }

        var version = await db.RoutingPolicies.MaxAsync(p => (int?)p.Version, cancellationToken) ?? 0;
        active?.Retire();
        var snapshot = JsonSerializer.Serialize(proposal.Products.Select(p => new PolicyProduct(p.ProductCode, p.Weight, p.Priority, p.DailyCap, p.MonthlyBudget)), Json);
        var policy = new RoutingPolicy(version + 1, proposal.Strategy, snapshot, comment.Trim(), actor, at);
        db.RoutingPolicies.Add(policy);
        audit.Record("Routing", "Policy saved", nameof(RoutingPolicy), policy.Version.ToString(),
            active is null ? null : new { active.Version, active.Strategy }, new { policy.Version, policy.Strategy, policy.Comment });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new SaveResult(false, "Someone else saved the routing policy or a product at the same moment. Reload and try again.");
        }
        engineHost.CatalogChanged();
        return new SaveResult(true, $"Saved as version {policy.Version}.", policy.Version);
    }

    /// <summary>Makes an earlier version current again, as a new version (history is never rewritten).</summary>
    public async Task<SaveResult> RestoreAsync(int version, ClaimsPrincipal user, int basedOnVersion, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var old = await db.RoutingPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.Version == version, cancellationToken);
        if (old is null) return new SaveResult(false, $"Version {version} does not exist.");
        var settings = JsonSerializer.Deserialize<List<PolicyProduct>>(old.ProductSettingsJson, Json) ?? [];
        var current = await LoadAsync(cancellationToken);
        var byCode = settings.ToDictionary(s => s.ProductCode, StringComparer.OrdinalIgnoreCase);
        var proposal = new RoutingProposal(old.Strategy, [.. current.Products.Select(p => byCode.TryGetValue(p.ProductCode, out var s)
            ? p with { Weight = s.Weight, Priority = s.Priority, DailyCap = s.DailyCap, MonthlyBudget = s.MonthlyBudget }
            : p)]);
        return await SaveAsync(proposal, $"Restored version {version}", user, basedOnVersion, cancellationToken);
    }

    private static async Task<IReadOnlyList<ProductSnapshot>> CatalogAsync(LoanHubDbContext db, RoutingProposal proposal, CancellationToken cancellationToken)
    {
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        var proposed = proposal.Products.ToDictionary(p => p.ProductId);
        return [.. lenders.SelectMany(l => l.Products.Select(p =>
        {
            var snapshot = ProductSnapshot.Of(l, p);
            return proposed.TryGetValue(p.Id, out var setting) ? snapshot with { Limits = setting.Limits } : snapshot;
        }))];
    }

    /// <summary>Passes replay counts straight on; the caller's own IProgress decides where they are shown.</summary>
    private sealed class Relay(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    /// <summary>What a policy version remembers of each product.</summary>
    private sealed record PolicyProduct(string ProductCode, int Weight, int Priority, int? DailyCap, decimal? MonthlyBudget);
}
