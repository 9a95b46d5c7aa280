using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Routing;

/// <summary>What restoring a version would do, shown in the restore confirmation before anything is written.</summary>
public sealed record RestorePlan(int Version, int BaseVersion, RoutingProposal Proposal, IReadOnlyList<PolicyChange> Changes, IReadOnlyList<string> KeepCurrent);

/// <summary>
/// The one way the routing policy changes — the strategy and every product's weight, priority, daily cap and monthly
/// budget — from the routing page, a restore, a configuration import (console or seed file) or a weight suggestion. Each
/// change becomes a new version holding every product's settings; it needs a simulation of exactly that change run
/// against the version still active (<see cref="SimulationReceipt"/>) and a comment, both checked here; the principal's
/// right is checked here too; one audit entry records the settings before and after; the engine takes the new version
/// for the next application.
/// </summary>
public sealed class RoutingPolicyService(
    IDbContextFactory<LoanHubDbContext> contexts,
    RoutingService routing,
    SimulationSeal seal,
    EngineHost engineHost,
    IAuthorizationService authorization,
    TimeProvider clock)
{
    public const string AuditArea = "Routing";

    public const string NotAllowed = "Your role may read the routing policy but not change it.";
    public const string CommentRequired = "Say why you change the policy: a comment is required.";
    public const string SimulationRequired = "Run the simulation of this change before saving it.";
    public const string SimulationNotGenuine = "This simulation was not run by this server, or the server restarted since: run the simulation again.";
    public const string SimulationOfAnotherProposal = "The simulation was run on a different proposal from the one being saved: simulate this change, then save it.";
    // Composite-format: SaveResult.Arguments fill the placeholders.
    public const string VersionMissing = "Version {0} does not exist.";
    public const string SavedSinceOpened = "Version {0} was saved since you opened the page. Reload to see it, then restore again.";
    public const string NothingToRestore = "Version {0} holds the settings that are active already: there is nothing to restore.";
    public const string SavedSinceSimulation = "{0} saved version {1} after your simulation ran on version {2}. Reload to see it, then apply and simulate your change again.";
    public const string NothingToSave = "Nothing to save: the proposal is the active version.";
    public const string SavedAtTheSameMoment = "Someone else saved the routing policy at the same moment. Reload and try again.";
    public const string Restored = "Version {0} restored as version {1}.";
    public const string Saved = "Saved as version {0}.";

    public async Task<bool> CanEditAsync(ClaimsPrincipal user) => (await authorization.AuthorizeAsync(user, Policies.RoutingEdit)).Succeeded;

    /// <summary>
    /// Saves <paramref name="proposal"/> as a new version, if <paramref name="simulation"/> simulated exactly it on the version
    /// still active and <paramref name="comment"/> says why.
    /// </summary>
    public Task<SaveResult> SaveAsync(RoutingProposal proposal, PolicySimulation? simulation, string comment, ClaimsPrincipal user,
        CancellationToken cancellationToken = default) =>
        SaveCheckedAsync(proposal, simulation, comment, user, restoredFrom: null, cancellationToken);

    /// <summary>What restoring <paramref name="version"/> would change; null when there is no such version.</summary>
    public async Task<RestorePlan?> PlanRestoreAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var old = await db.RoutingPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.Version == version, cancellationToken);
        if (old is null) return null;
        var view = await routing.LoadAsync(cancellationToken);
        var current = view.Current;
        var keepCurrent = new List<string>();
        var products = new List<ProductSetting>();
        foreach (var p in current.Products)
        {
            if (old.SettingOf(p.ProductId, p.ProductCode) is { } s)
                products.Add(p with { Weight = s.Weight, Priority = s.Priority, DailyCap = s.DailyCap, MonthlyBudget = s.MonthlyBudget });
            else
            {
                products.Add(p);
                keepCurrent.Add(p.ProductCode);
            }
        }
        var proposal = new RoutingProposal(old.Strategy, products);
        return new RestorePlan(version, view.ActiveVersion, proposal, proposal.ChangesFrom(current), keepCurrent);
    }

    /// <summary>
    /// Makes <paramref name="version"/> current again in full, as a new version (history is never rewritten): its strategy and
    /// the settings of every product it names; products it does not name (created after it) keep theirs. The restore is
    /// simulated here, on the default window, and saved like any other change.
    /// </summary>
    public async Task<SaveResult> RestoreAsync(int version, string comment, ClaimsPrincipal user, int basedOnVersion,
        CancellationToken cancellationToken = default)
    {
        if (!await CanEditAsync(user)) return Refused(NotAllowed);
        if (string.IsNullOrWhiteSpace(comment)) return Refused(CommentRequired);
        if (await PlanRestoreAsync(version, cancellationToken) is not { } plan) return Refused(VersionMissing, version);
        if (plan.BaseVersion != basedOnVersion)
            return Refused(SavedSinceOpened, plan.BaseVersion);
        if (plan.Changes.Count == 0) return Refused(NothingToRestore, version);
        var end = clock.GetUtcNow();
        var simulation = await routing.SimulateAsync(plan.Proposal, RoutingService.WindowStart(RoutingService.DefaultWindowDays, end), end, null,
            cancellationToken);
        return await SaveCheckedAsync(plan.Proposal, simulation, comment, user, version, cancellationToken);
    }

    private async Task<SaveResult> SaveCheckedAsync(RoutingProposal proposal, PolicySimulation? simulation, string comment, ClaimsPrincipal user,
        int? restoredFrom, CancellationToken cancellationToken)
    {
        if (!await CanEditAsync(user)) return Refused(NotAllowed);
        if (string.IsNullOrWhiteSpace(comment)) return Refused(CommentRequired);
        if (simulation is null) return Refused(SimulationRequired);
        if (!seal.IsGenuine(simulation.Receipt)) return Refused(SimulationNotGenuine);
        if (simulation.Receipt.Fingerprint != proposal.Fingerprint) return Refused(SimulationOfAnotherProposal);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Lenders.Include(l => l.Products).LoadAsync(cancellationToken);
        var active = await ActiveAsync(db, cancellationToken);
        if ((active?.Version ?? 0) != simulation.Receipt.BaseVersion)
            return Refused(SavedSinceSimulation,
                active?.CreatedBy ?? "", active?.Version ?? 0, simulation.Receipt.BaseVersion);

        var staged = await StageAsync(db, active, proposal, simulation.Summary, comment, Actor(user),
            restoredFrom is null ? "Policy saved" : "Policy restored", restoredFrom, cancellationToken);
        if (staged.Error is { } error) return Refused(error);
        if (staged.Policy is not { } policy) return Refused(NothingToSave);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Refused(SavedAtTheSameMoment);
        }
        engineHost.CatalogChanged();
        return restoredFrom is { } from
            ? new SaveResult(true, Restored, policy.Version) { Arguments = [from, policy.Version] }
            : new SaveResult(true, Saved, policy.Version) { Arguments = [policy.Version] };
    }

    /// <summary>
    /// The routing part of a configuration import, staged in the importer's <paramref name="db"/> (lenders and products loaded,
    /// the file's catalog changes staged): every product takes the file's settings where the file names it and keeps its own
    /// otherwise. When that differs from the active version, the import is simulated here (unless only previewed) and
    /// staged as a new, full version with the import's comment; null when the file changes nothing of the policy, so the
    /// seed file applied at every start makes no new version.
    /// </summary>
    internal async Task<RoutingPolicy?> StageImportAsync(LoanHubDbContext db, RoutingStrategy? strategy, Func<LenderProduct, ProductLimits?> fromFile,
        string comment, string actor, bool simulate, CancellationToken cancellationToken)
    {
        var active = await ActiveAsync(db, cancellationToken);
        var products = db.Lenders.Local.OrderBy(l => l.Code).SelectMany(l => l.Products.OrderBy(p => p.Code).Select(p =>
        {
            var setting = ProductSetting.Of(l, p, active);
            return fromFile(p) is { } limits
                ? setting with { Weight = limits.Weight, Priority = limits.Priority, DailyCap = limits.DailyCap, MonthlyBudget = limits.MonthlyBudget }
                : setting;
        })).ToList();
        var proposal = new RoutingProposal(strategy ?? active?.Strategy ?? RoutingStrategy.Weighted, products);
        if (active is not null && IsActiveAlready(db, active, proposal)) return null;

        SimulationSummary? summary = null;
        if (simulate)
        {
            var end = clock.GetUtcNow();
            summary = (await routing.SimulateStagedAsync(db, proposal, RoutingService.WindowStart(RoutingService.DefaultWindowDays, end), end, null,
                cancellationToken)).Summary;
        }
        var staged = await StageAsync(db, active, proposal, summary, comment, actor, "Policy imported", null, cancellationToken);
        return staged.Error is { } error ? throw new DomainException(error) : staged.Policy;
    }

    private static Task<RoutingPolicy?> ActiveAsync(LoanHubDbContext db, CancellationToken cancellationToken) =>
        db.RoutingPolicies.Where(p => p.IsActive).OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);

    private static bool IsActiveAlready(LoanHubDbContext db, RoutingPolicy active, RoutingProposal proposal)
    {
        var proposed = proposal.Products.ToDictionary(p => p.ProductId);
        return active.Strategy == proposal.Strategy && db.Lenders.Local.SelectMany(l => l.Products).All(p =>
            !proposed.TryGetValue(p.Id, out var setting) || setting.Limits == active.LimitsOf(p.Id, p.Code, p.Limits));
    }

    private sealed record Staged(RoutingPolicy? Policy, string? Error);

    /// <summary>Adds the new version to <paramref name="db"/>, retires the active one, has every product follow it and audits the change.</summary>
    private async Task<Staged> StageAsync(LoanHubDbContext db, RoutingPolicy? active, RoutingProposal proposal, SimulationSummary? simulation,
        string comment, string actor, string action, int? restoredFrom, CancellationToken cancellationToken)
    {
        var products = db.Lenders.Local.SelectMany(l => l.Products).ToList();
        var known = products.Select(p => p.Id).ToHashSet();
        if (proposal.Products.FirstOrDefault(p => !known.Contains(p.ProductId)) is { } gone) return new(null, $"Product {gone.ProductCode} no longer exists.");
        if (proposal.Products.FirstOrDefault(p => !p.IsValid) is { } invalid)
            return new(null, $"{invalid.ProductCode}: {invalid.WeightError ?? invalid.PriorityError ?? invalid.DailyCapError ?? invalid.MonthlyBudgetError}");
        if (active is not null && IsActiveAlready(db, active, proposal)) return new(null, null);

        var proposed = proposal.Products.ToDictionary(p => p.ProductId);
        var settings = products.Select(p => PolicyProductSetting.Of(p.Id, p.Code,
            proposed.TryGetValue(p.Id, out var setting) ? setting.Limits : active?.LimitsOf(p.Id, p.Code, p.Limits) ?? p.Limits)).ToList();
        var version = (await db.RoutingPolicies.MaxAsync(p => (int?)p.Version, cancellationToken) ?? 0) + 1;
        var policy = new RoutingPolicy(version, proposal.Strategy, settings, comment, actor, clock.GetUtcNow(), active?.Version, restoredFrom,
            simulation?.ToJson() ?? "");

        var before = new Dictionary<string, AuditedSettings>();
        var after = new Dictionary<string, AuditedSettings>();
        foreach (var product in products)
        {
            var was = product.Limits;
            product.Follow(policy);
            if (product.Limits == was) continue;
            before[product.Code] = AuditedSettings.Of(was);
            after[product.Code] = AuditedSettings.Of(product.Limits);
        }
        active?.Retire();
        db.RoutingPolicies.Add(policy);
        new AuditTrail(db, actor, policy.CreatedAt).Record(AuditArea, action, nameof(RoutingPolicy), policy.Version.ToString(),
            before: new { Version = active?.Version, Strategy = active?.Strategy, Products = before },
            after: new { policy.Version, policy.Strategy, policy.Comment, RestoredFrom = restoredFrom, Products = after, Simulation = simulation });
        return new(policy, null);
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static SaveResult Refused(string message, params object[] arguments) => new(false, message) { Arguments = arguments };

    /// <summary>A product's four settings as the audit records them.</summary>
    private sealed record AuditedSettings(int Weight, int Priority, int? DailyCap, decimal? MonthlyBudget)
    {
        public static AuditedSettings Of(ProductLimits limits) => new(limits.Weight, limits.Priority, limits.DailyCap, limits.MonthlyBudget);
    }
}
