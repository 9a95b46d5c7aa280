using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Risk;

/// <summary>
/// The risk policy — the score and tier bands and the fraud thresholds — read, backtested and changed. Each change becomes a new
/// version; it needs a backtest of exactly that proposal run against the version still active (the <see cref="SimulationReceipt"/>
/// the routing what-if uses, sealed by the same <see cref="SimulationSeal"/>) and a comment, both checked here with the principal's
/// right; one audit entry records the thresholds before and after; the engine decides the next application by the new version.
/// </summary>
public sealed class RiskPolicyService(
    IDbContextFactory<LoanHubDbContext> contexts,
    RiskPolicy configured,
    SimulationSeal seal,
    EngineHost engineHost,
    LearnedRatesBoard learned,
    IAuthorizationService authorization,
    TimeProvider clock)
{
    public const string AuditArea = "Risk";
    public const int DefaultWindowDays = 30;
    public const int MaxWindowDays = 180;

    // What the service answers is in English and is the key of RiskStrings, placeholders filled from SaveResult.Arguments: the page
    // shows it in the reader's language, the tests compare it with these.
    public const string NotAllowed = "Your role may read the risk policy but not change it.";
    public const string CommentRequired = "Say why you change the risk policy: a comment is required.";
    public const string BacktestRequired = "Run the backtest of these thresholds before saving them.";
    public const string BacktestNotGenuine = "This backtest was not run by this server, or the server restarted since: run the backtest again.";
    public const string BacktestOfAnotherProposal = "The backtest was run on different thresholds from the ones being saved: backtest these, then save them.";
    public const string NoSuchVersion = "Version {0} does not exist.";
    public const string SavedSinceOpened = "Version {0} was saved since you opened the page. Reload to see it, then restore again.";
    public const string NothingToRestore = "Version {0} holds the thresholds that are active already: there is nothing to restore.";
    public const string SavedSinceBacktest = "{0} saved version {1} after your backtest ran on version {2}. Reload to see it, then backtest your change again.";
    public const string NothingToSave = "Nothing to save: these are the active thresholds.";
    public const string SavedAtTheSameMoment = "Someone else saved the risk policy at the same moment. Reload and try again.";
    public const string Saved = "Saved as version {0}.";
    public const string Restored = "Version {0} restored as version {1}.";

    /// <summary>The stages a backtest reports, keys of <see cref="RiskStrings"/> like the messages above.</summary>
    public const string LoadingStage = "Loading applicants";
    public const string ReplayingStage = "Replaying";

    /// <summary>The comment of the version seeded from configuration.</summary>
    public const string SeededComment = "Initial thresholds from configuration (LoanHub:Decision, LoanHub:Fraud)";

    public async Task<bool> CanEditAsync(ClaimsPrincipal user) => (await authorization.AuthorizeAsync(user, Policies.RiskEdit)).Succeeded;

    public async Task<RiskPolicyView> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var versions = await db.RiskPolicies.AsNoTracking().OrderByDescending(p => p.Version).ToListAsync(cancellationToken);
        var rows = versions.Select(v => new RiskVersionRow(v.Version, v.Policy, v.Comment, v.CreatedBy, v.CreatedAt, v.IsActive, v.RestoredFromVersion,
            BacktestSummary.FromJson(v.BacktestJson))).ToList();
        var active = versions.FirstOrDefault(v => v.IsActive);
        return new RiskPolicyView(active?.Version ?? 0, active?.Policy ?? configured, rows);
    }

    /// <summary>
    /// Replays the applicants of the last <paramref name="days"/> business days under <paramref name="proposal"/>, beside how they were
    /// decided. The result carries the sealed receipt <see cref="SaveAsync"/> asks for.
    /// </summary>
    public async Task<RiskBacktestRun> BacktestAsync(RiskPolicy proposal, int days, IProgress<BacktestProgress>? progress, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxWindowDays) throw new DomainException($"Backtest 1 to {MaxWindowDays} days.");
        progress?.Report(new BacktestProgress(LoadingStage, 0));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var active = await db.RiskPolicies.AsNoTracking().Where(p => p.IsActive).OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var ranAt = clock.GetUtcNow();
        var windowStart = RoutingService.WindowStart(days, ranAt);
        var backtest = new RiskBacktest(proposal, active?.Policy ?? configured, learned.Current);
        var from = backtest.ReplaysHistory ? windowStart - RiskBacktest.EngineHistory : windowStart;
        var counted = progress is null ? null : new Progress<int>(done => progress.Report(new BacktestProgress(ReplayingStage, done)));
        // Read in two halves at once and replayed in arrival order, each on a thread of its own (see WindowReplay).
        var result = await WindowReplay.RunAsync(contexts, from, ranAt, (other, start, end, token) => BacktestQuery.Applicants(other, start, end, backtest.ReplaysHistory, token),
            (rows, _) => Task.FromResult(rows.ToArray()), (applicants, token) => backtest.Run(applicants, windowStart, counted, token), cancellationToken);
        return new RiskBacktestRun(result, days, windowStart, ranAt, sources, seal.Issue(proposal.Fingerprint, active?.Version ?? 0, ranAt));
    }

    /// <summary>Saves <paramref name="proposal"/> as a new version, if <paramref name="backtest"/> tested exactly it on the version still active and <paramref name="comment"/> says why.</summary>
    public Task<SaveResult> SaveAsync(RiskPolicy proposal, RiskBacktestRun? backtest, string comment, ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        SaveCheckedAsync(proposal, backtest, comment, user, restoredFrom: null, cancellationToken);

    /// <summary>
    /// Makes <paramref name="version"/>'s thresholds current again, all of them, as a new version (history is never rewritten); the
    /// restore is backtested here on the default window and saved like any other change.
    /// </summary>
    public async Task<SaveResult> RestoreAsync(int version, string comment, ClaimsPrincipal user, int basedOnVersion, CancellationToken cancellationToken = default)
    {
        if (!await CanEditAsync(user)) return Refused(NotAllowed);
        if (string.IsNullOrWhiteSpace(comment)) return Refused(CommentRequired);
        var view = await LoadAsync(cancellationToken);
        if (view.Versions.FirstOrDefault(v => v.Version == version) is not { } old) return Refused(NoSuchVersion, version);
        if (view.ActiveVersion != basedOnVersion)
            return Refused(SavedSinceOpened, view.ActiveVersion);
        if (old.Policy == view.Active) return Refused(NothingToRestore, version);
        var backtest = await BacktestAsync(old.Policy, DefaultWindowDays, null, cancellationToken);
        return await SaveCheckedAsync(old.Policy, backtest, comment, user, version, cancellationToken);
    }

    private async Task<SaveResult> SaveCheckedAsync(RiskPolicy proposal, RiskBacktestRun? backtest, string comment, ClaimsPrincipal user, int? restoredFrom,
        CancellationToken cancellationToken)
    {
        if (!await CanEditAsync(user)) return Refused(NotAllowed);
        if (string.IsNullOrWhiteSpace(comment)) return Refused(CommentRequired);
        if (proposal.Problems().Values.FirstOrDefault() is { } problem) return Refused(problem);
        if (backtest is null) return Refused(BacktestRequired);
        if (!seal.IsGenuine(backtest.Receipt)) return Refused(BacktestNotGenuine);
        if (backtest.Receipt.Fingerprint != proposal.Fingerprint) return Refused(BacktestOfAnotherProposal);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var active = await db.RiskPolicies.Where(p => p.IsActive).OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
        if ((active?.Version ?? 0) != backtest.Receipt.BaseVersion)
            return Refused(SavedSinceBacktest, active?.CreatedBy ?? "", active?.Version ?? 0, backtest.Receipt.BaseVersion);
        var before = active?.Policy ?? configured;
        if (before == proposal) return Refused(NothingToSave);

        var at = clock.GetUtcNow();
        var version = (active?.Version ?? 0) + 1;
        var summary = backtest.Summary;
        var saved = new RiskPolicyVersion(version, proposal, comment, Actor(user), at, active?.Version, restoredFrom, summary.ToJson());
        active?.Retire();
        db.RiskPolicies.Add(saved);
        new AuditTrail(db, Actor(user), at).Record(AuditArea, restoredFrom is null ? "Risk policy saved" : "Risk policy restored", nameof(RiskPolicyVersion),
            version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            before: new { Version = active?.Version, Policy = before },
            after: new { Version = version, Policy = proposal, saved.Comment, RestoredFrom = restoredFrom, Changes = proposal.ChangesFrom(before), Backtest = summary });
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
            ? new SaveResult(true, Restored, version) { Arguments = [from, version] }
            : new SaveResult(true, Saved, version) { Arguments = [version] };
    }

    /// <summary>Version 1 from the configured thresholds, when the store has no risk policy yet: existing configuration keeps deciding.</summary>
    internal static async Task SeedAsync(LoanHubDbContext db, RiskPolicy configured, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await db.RiskPolicies.AnyAsync(cancellationToken)) return;
        db.RiskPolicies.Add(new RiskPolicyVersion(1, configured, SeededComment, EngineHost.SystemActor, at));
        new AuditTrail(db, EngineHost.SystemActor, at).Record(AuditArea, "Risk policy seeded", nameof(RiskPolicyVersion), "1", after: new { Version = 1, Policy = configured });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>A refusal worded by <paramref name="message"/>, a key of <see cref="RiskStrings"/> with <paramref name="arguments"/> for its placeholders.</summary>
    private static SaveResult Refused(string message, params object[] arguments) => new(false, message) { Arguments = arguments };
}
