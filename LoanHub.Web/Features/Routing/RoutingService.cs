using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Learning;
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
    CommissionContract Commission)
{
    public ProductLimits Limits => new(DailyCap, MonthlyBudget, Weight, Priority);

    /// <summary>The product as the routing page shows it, with the settings <paramref name="policy"/> gives it.</summary>
    public static ProductSetting Of(Lender lender, LenderProduct product, RoutingPolicy? policy)
    {
        var limits = policy?.LimitsOf(product.Id, product.Code, product.Limits) ?? product.Limits;
        return new ProductSetting(product.Id, lender.Code, lender.Name, product.Code, product.Name, lender.IsActive && product.IsActive,
            limits.Weight, limits.Priority, limits.DailyCap, limits.MonthlyBudget, product.Commission);
    }

    public string? WeightError => CheckWeight(Weight);
    public string? PriorityError => CheckPriority(Priority);
    public string? DailyCapError => CheckDailyCap(DailyCap);
    public string? MonthlyBudgetError => CheckMonthlyBudget(MonthlyBudget);

    // The bounds ProductLimits enforces, one field at a time, so the page can say which field is wrong
    // instead of the number input quietly clamping a typo (−5 → 0) to something routing would act on.
    public static string? CheckWeight(int weight) => weight is < 0 or > ProductLimits.MaxWeight ? "Enter 0 to 10,000" : null;
    public static string? CheckPriority(int priority) => priority is < 0 or > ProductLimits.MaxPriority ? "Enter 0 to 1,000" : null;
    public static string? CheckDailyCap(int? cap) => cap is < 0 ? "Cannot be negative; empty means no cap" : null;
    public static string? CheckMonthlyBudget(decimal? budget) => budget switch
    {
        < 0m => "Cannot be negative; empty means no budget",
        { } amount when !Money.HasAtMostTwoPlaces(amount) => "At most 2 decimals",
        _ => null,
    };

    public bool IsValid => WeightError is null && PriorityError is null && DailyCapError is null && MonthlyBudgetError is null;
}

public sealed record PolicyVersionRow(int Version, RoutingStrategy Strategy, string Comment, string CreatedBy, DateTimeOffset CreatedAt, bool IsActive,
    int? RestoredFromVersion, SimulationSummary? Simulation);

public sealed record RoutingView(int ActiveVersion, RoutingStrategy Strategy, IReadOnlyList<ProductSetting> Products, IReadOnlyList<PolicyVersionRow> Versions,
    ActualShares Actual)
{
    /// <summary>The active policy as a proposal to change: what the routing page and a weight suggestion start from.</summary>
    public RoutingProposal Current => new(Strategy, Products);
}

/// <summary>
/// The leads each product took (its allocations) over the last <see cref="Days"/> China business days, today included: what
/// routing actually did, to read beside the share the weights aim for.
/// </summary>
public sealed record ActualShares(int Days, IReadOnlyDictionary<ProductId, int> Leads)
{
    public int Total => Leads.Values.Sum();

    /// <summary>The product's leads over all products' leads; null when none were routed in the window.</summary>
    public decimal? ShareOf(ProductId product) => Total == 0 ? null : (decimal)Leads.GetValueOrDefault(product) / Total;
}

/// <summary>
/// A routing policy as proposed: the strategy and each product's four settings (the other fields of a
/// <see cref="ProductSetting"/> are there to show it). Its <see cref="Fingerprint"/> names exactly those settings.
/// </summary>
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

    /// <summary>The proposal with one product's weight changed, as a weight suggestion or a test builds one.</summary>
    public RoutingProposal WithWeight(ProductId product, int weight) =>
        this with { Products = [.. Products.Select(p => p.ProductId == product ? p with { Weight = weight } : p)] };

    /// <summary>A hash of the strategy and every product's four settings, in product order: equal for equal proposals, whatever they show.</summary>
    public string Fingerprint
    {
        get
        {
            var text = new StringBuilder(Strategy.ToString());
            foreach (var p in Products.OrderBy(p => p.ProductId.Value))
                text.Append(CultureInfo.InvariantCulture, $"|{p.ProductId}:{p.Weight}:{p.Priority}:{p.DailyCap}:{p.MonthlyBudget}");
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    /// <summary>What changes from <paramref name="before"/> to this proposal, one entry per setting, for dialogs to word.</summary>
    public IReadOnlyList<PolicyChange> ChangesFrom(RoutingProposal before)
    {
        var changes = new List<PolicyChange>();
        if (before.Strategy != Strategy) changes.Add(new(null, null, before.Strategy, Strategy));
        var old = before.Products.ToDictionary(p => p.ProductId);
        foreach (var p in Products)
        {
            if (!old.TryGetValue(p.ProductId, out var o)) continue;
            if (o.Weight != p.Weight) changes.Add(new(p.ProductCode, PolicyField.Weight, o.Weight, p.Weight));
            if (o.Priority != p.Priority) changes.Add(new(p.ProductCode, PolicyField.Priority, o.Priority, p.Priority));
            if (o.DailyCap != p.DailyCap) changes.Add(new(p.ProductCode, PolicyField.DailyCap, o.DailyCap, p.DailyCap));
            if (o.MonthlyBudget != p.MonthlyBudget) changes.Add(new(p.ProductCode, PolicyField.MonthlyBudget, o.MonthlyBudget, p.MonthlyBudget));
        }
        return changes;
    }
}

/// <summary>
/// One setting a proposal changes: a product's number (<see cref="Field"/>; null values are "no limit"), or, with no product
/// and no field, the strategy (the values are <see cref="RoutingStrategy"/>).
/// </summary>
public sealed record PolicyChange(string? ProductCode, PolicyField? Field, object? Before, object? After);

public sealed record SimulationProgress(string Stage, int Done, int Total);

/// <summary>What became of a save; <see cref="Message"/> is English with composite placeholders for <see cref="Arguments"/>, worded where shown.</summary>
public sealed record SaveResult(bool Succeeded, string Message, int? Version = null)
{
    public IReadOnlyList<object> Arguments { get; init; } = [];
}

/// <summary>
/// The routing policy as it is read and tried out: the active version with every product's settings, and the what-if
/// (replaying recent applicants under a proposal beside what happened). Changing it is <see cref="RoutingPolicyService"/>'s.
/// </summary>
public sealed class RoutingService(
    IDbContextFactory<LoanHubDbContext> contexts,
    DecisionEngine engine,
    SimulationSeal seal,
    TimeProvider clock,
    LearnedRatesBoard learned)
{
    /// <summary>The window an import or a restore simulates itself, as the routing page does by default.</summary>
    public const int DefaultWindowDays = 7;

    // The stages of a what-if as SimulationProgress names them; the page words them.
    public const string Starting = "Starting";
    public const string LoadingApplicants = "Loading applicants";
    public const string Replaying = "Replaying";

    public async Task<RoutingView> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).OrderBy(l => l.Code).ToListAsync(cancellationToken);
        var policies = await db.RoutingPolicies.AsNoTracking().OrderByDescending(p => p.Version).ToListAsync(cancellationToken);
        var active = policies.FirstOrDefault(p => p.IsActive);
        var products = lenders
            .SelectMany(l => l.Products.OrderBy(p => p.Code).Select(p => ProductSetting.Of(l, p, active)))
            .ToList();
        var versions = policies.Select(p => new PolicyVersionRow(p.Version, p.Strategy, p.Comment, p.CreatedBy, p.CreatedAt, p.IsActive,
            p.RestoredFromVersion, SimulationSummary.FromJson(p.SimulationJson))).ToList();
        return new RoutingView(active?.Version ?? 0, active?.Strategy ?? RoutingStrategy.Weighted, products, versions,
            await ActualSharesAsync(db, cancellationToken));
    }

    /// <summary>The window the routing page's actual shares are counted over.</summary>
    public const int ActualShareDays = 7;

    private async Task<ActualShares> ActualSharesAsync(LoanHubDbContext db, CancellationToken cancellationToken)
    {
        var start = WindowStart(ActualShareDays, clock.GetUtcNow());
        var leads = await db.Allocations.AsNoTracking().Where(a => a.AllocatedAt >= start)
            .GroupBy(a => a.ProductId).Select(g => new { Product = g.Key, Leads = g.Count() })
            .ToDictionaryAsync(g => g.Product, g => g.Leads, cancellationToken);
        return new ActualShares(ActualShareDays, leads);
    }

    /// <summary>"Last N days": N business days (China Standard Time) up to <paramref name="end"/>, today included, as on the dashboard.</summary>
    public static DateTimeOffset WindowStart(int days, DateTimeOffset end) =>
        // N × 24 hours back from now would touch N + 1 calendar days and report caps "on 31 days" of 30.
        new(BusinessDay.Of(end).AddDays(1 - days).ToDateTime(TimeOnly.MinValue), BusinessDay.ChinaStandardTime);

    /// <summary>
    /// Replays the applicants received in [<paramref name="windowStart"/>, <paramref name="windowEnd"/>) under the proposal, beside what
    /// happened. The result carries the sealed receipt <see cref="RoutingPolicyService"/> asks for before it saves this proposal.
    /// </summary>
    public async Task<PolicySimulation> SimulateAsync(RoutingProposal proposal, DateTimeOffset windowStart, DateTimeOffset windowEnd,
        IProgress<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new SimulationProgress(LoadingApplicants, 0, 0));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Lenders.Include(l => l.Products).LoadAsync(cancellationToken);
        return await SimulateStagedAsync(db, proposal, windowStart, windowEnd, progress, cancellationToken);
    }

    /// <summary>
    /// The what-if on <paramref name="db"/> as it stands, staged changes included: an import simulates the catalog it is about to
    /// write. The lenders and products must be loaded (tracked) in it.
    /// </summary>
    internal async Task<PolicySimulation> SimulateStagedAsync(LoanHubDbContext db, RoutingProposal proposal, DateTimeOffset windowStart,
        DateTimeOffset windowEnd, IProgress<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        var baseVersion = await db.RoutingPolicies.AsNoTracking().Where(p => p.IsActive).OrderByDescending(p => p.Version)
            .Select(p => (int?)p.Version).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var ranAt = clock.GetUtcNow();
        var committedBefore = await CommittedBeforeAsync(db, windowStart, cancellationToken);
        var catalog = await CatalogAsync(db, proposal, windowEnd, cancellationToken);

        // How many there are is only for the progress bar: counted beside the replay, which starts at once.
        var total = 0;
        progress?.Report(new SimulationProgress(Replaying, 0, 0));
        var replayProgress = progress is null ? null : new Relay(done => progress.Report(new SimulationProgress(Replaying, done, Volatile.Read(ref total))));
        var counting = OnOwnContextAsync(async other => Volatile.Write(ref total, await RoutedIn(other, windowStart, windowEnd).CountAsync(cancellationToken)),
            cancellationToken);
        var attempts = AttemptsAsync(windowStart, windowEnd, cancellationToken);
        var simulator = new RoutingSimulator(engine, learned.Current);
        var pulled = new Dictionary<ProductId, int>();
        // Read in two halves at once and replayed in arrival order, each on a thread of its own (see WindowReplay).
        var replaying = WindowReplay.RunAsync(contexts, windowStart, windowEnd, ReplayRows, (rows, token) => ItemsAsync(rows, pulled, token),
            (items, token) => simulator.Run(items, catalog, proposal.Strategy, committedBefore, replayProgress, token), cancellationToken);
        await Task.WhenAll(replaying, attempts, counting);
        progress?.Report(new SimulationProgress(Replaying, (await replaying).Replayed, total));
        var offered = await attempts;
        foreach (var (product, count) in pulled) offered[product] = offered.GetValueOrDefault(product) + count;
        var result = (await replaying).WithActualOffers(offered);
        return new PolicySimulation(result, windowStart, windowEnd, seal.Issue(proposal.Fingerprint, baseVersion, ranAt));
    }

    /// <summary>
    /// The proposal's routing settings applied to the catalog each replayed applicant was decided on (every version kept
    /// before the window's end; for a window older than the history, the first one kept), so each applicant is judged on
    /// the criteria and contracts of its time. With no history kept yet, the catalog as <paramref name="db"/> holds it
    /// (staged changes of an import included) stands for all of the window.
    /// </summary>
    private static async Task<CatalogTimeline> CatalogAsync(LoanHubDbContext db, RoutingProposal proposal, DateTimeOffset windowEnd,
        CancellationToken cancellationToken)
    {
        // Every version the window's decisions can name (a catalog changes a few times a day at most: a small table).
        var versions = await db.CatalogVersions.AsNoTracking().Where(v => v.TakenAt < windowEnd).ToListAsync(cancellationToken);
        if (versions.Count == 0 && await db.CatalogVersions.AsNoTracking().OrderBy(v => v.TakenAt).ThenBy(v => v.Id).FirstOrDefaultAsync(cancellationToken) is { } first)
            versions.Add(first);
        var staged = db.Lenders.Local.SelectMany(l => l.Products.Select(p => ProductSnapshot.Of(l, p))).ToList();
        var proposed = proposal.Products.ToDictionary(p => p.ProductId);
        return CatalogTimeline.Of(versions, staged)
            .With(p => proposed.TryGetValue(p.ProductId, out var setting) ? p with { Limits = setting.Limits } : p);
    }

    /// <summary>
    /// The commission each product had committed per month before the window, from the allocations since the start of
    /// the month the window begins in, so budgets start where they stood.
    /// </summary>
    private static async Task<Dictionary<(ProductId, DateOnly), decimal>> CommittedBeforeAsync(LoanHubDbContext db, DateTimeOffset windowStart,
        CancellationToken cancellationToken)
    {
        var monthStart = new DateTimeOffset(BusinessDay.MonthOf(BusinessDay.Of(windowStart)).ToDateTime(TimeOnly.MinValue), BusinessDay.ChinaStandardTime);
        var committed = new Dictionary<(ProductId, DateOnly), decimal>();
        var allocations = db.Allocations.AsNoTracking().Where(a => a.AllocatedAt >= monthStart && a.AllocatedAt < windowStart)
            .Select(a => new { a.ProductId, a.BusinessDay, a.ExpectedCommission })
            .AsAsyncEnumerable();
        await foreach (var a in allocations.WithCancellation(cancellationToken))
        {
            var key = (a.ProductId, BusinessDay.MonthOf(a.BusinessDay));
            committed[key] = committed.GetValueOrDefault(key) + a.ExpectedCommission;
        }
        return committed;
    }

    /// <summary>
    /// The routed applicants of a window with their assessments: what the replay, its progress and the count of delivery
    /// attempts read.
    /// </summary>
    private static IQueryable<AssessedApplication> RoutedIn(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end) =>
        AssessedApplication.ReceivedIn(db, start, end).Where(x => x.Assessment.Decision == Decision.Route);

    /// <summary>
    /// What the replay needs of each routed applicant and nothing more, each through an index that holds it (the rows
    /// hold kilobytes of ciphertext and decision record): the profile's columns (no name, ID or phone to decrypt: the age
    /// the engine decided on is kept with the decision), score and tier, the catalog version, the allocation (never made
    /// before its application arrived: each is found by its application), and the decision record only when it says a
    /// product turned the applicant away for a limit. In arrival order.
    /// </summary>
    /// <remarks>
    /// Read with a command of its own rather than a LINQ projection: EF Core's materializer was a sixth of the what-if's
    /// CPU over a million rows (ADR 0011). The SQL is the same on both providers (quoted names, enums as their names,
    /// ticks and fen as integers); <c>ReplayRowsTests</c> checks it against the model's LINQ query on each.
    /// </remarks>
    internal static IAsyncEnumerable<ReplayRow> ReplayRows(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken = default) =>
        StoreRows.ReadAsync(db, ReplaySql, [("start", start.UtcTicks), ("end", end.UtcTicks)], row => new ReplayRow(
            new ApplicationId(row.GetGuid(0)), row.GetInstant(1), row.GetNullableInt32(2), row.GetMoney(3), row.GetNullableMoney(4),
            row.GetEnum<Employment>(5), row.GetMoney(6), row.GetInt32(7), row.GetString(8), row.GetNullableInt32(9), row.GetEnum<LoanPurpose>(10),
            row.GetInt32(11), row.GetEnum<RiskTier>(12), row.GetNullableInt64(13), row.GetNullableString(14), row.GetBoolean(15),
            row.IsDBNull(16) ? null : new ProductId(row.GetGuid(16)), row.IsDBNull(17) ? 0m : row.GetMoney(17), row.GetBoolean(18)), cancellationToken);

    private const string ReplaySql = """
        SELECT a."Id", a."ReceivedAt", s."ApplicantAge", a."MonthlyIncome", a."ExistingMonthlyDebt", a."Employment", a."RequestedAmount",
               a."TermMonths", a."ProvinceCode", a."BureauScore", a."Purpose", s."Score", s."Tier", s."CatalogVersionId",
               CASE WHEN s."TurnedAwayForLimit" THEN s."DecisionRecordJson" END,
               COALESCE(a."UnmatchedCause" IN ('RefusedByAll', 'Deadline'), FALSE),
               l."ProductId", l."ExpectedCommission", l."Id" IS NOT NULL AND l."DeliveryId" IS NULL
        FROM "Applications" AS a
        INNER JOIN "Assessments" AS s ON a."Id" = s."ApplicationId"
        LEFT JOIN "Allocations" AS l ON a."Id" = l."ApplicationId"
        WHERE a."ReceivedAt" >= @start AND a."ReceivedAt" < @end AND s."Decision" = 'Route'
        ORDER BY a."ReceivedAt"
        """;

    private async Task OnOwnContextAsync(Func<LoanHubDbContext, Task> work, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await work(db);
    }

    /// <summary>
    /// A batch of the window's applicants as the replay takes them, counting on the way the leads pull lenders took (an
    /// allocation with no delivery behind it); the two readers share <paramref name="pulled"/>.
    /// </summary>
    private async Task<ReplayItem[]> ItemsAsync(List<ReplayRow> rows, Dictionary<ProductId, int> pulled, CancellationToken cancellationToken)
    {
        lock (pulled)
            foreach (var row in rows.Where(r => r.Pulled)) pulled[row.Product!.Value] = pulled.GetValueOrDefault(row.Product!.Value) + 1;
        var older = rows.Where(r => r.Age is null).Select(r => r.Id).ToList();
        var ages = older.Count == 0 ? null : await AgesOfOlderDecisionsAsync(older, cancellationToken);
        return [.. rows.Select(r => r.ToReplayItem(ages))];
    }

    /// <summary>
    /// Per product, the delivery attempts push lenders were sent for the window's routed applicants: counted by the
    /// store, on a context of its own, while the replay runs.
    /// </summary>
    private async Task<Dictionary<ProductId, int>> AttemptsAsync(DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // An attempt is never made before its application arrived. Driven from the attempts (a correlated EXISTS, not IN):
        // a window of pull lenders has none, and a list of every replayed applicant would cost a pass over the window.
        return await db.DeliveryAttempts.AsNoTracking()
            .Where(a => a.CreatedAt >= windowStart && RoutedIn(db, windowStart, windowEnd).Any(x => x.Application.Id == a.ApplicationId))
            .GroupBy(a => a.ProductId).Select(g => new { Product = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Product, g => g.Count, cancellationToken);
    }

    /// <summary>
    /// The age on the decision day of applicants decided before assessments kept it, from their resident IDs, on a
    /// context of its own (the reader's is streaming); a store decided entirely by this version has none to read.
    /// </summary>
    private async Task<Dictionary<ApplicationId, int>> AgesOfOlderDecisionsAsync(IReadOnlyList<ApplicationId> ids, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applicants = await db.Applications.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.ReceivedAt, a.Applicant })
            .ToListAsync(cancellationToken);
        return applicants.ToDictionary(a => a.Id, a => ApplicantProfile.From(a.Applicant).AgeOn(BusinessDay.Of(a.ReceivedAt)));
    }

    /// <summary>One replayed applicant as the store holds it, with its allocation: where it went, what it was expected to earn, and whether a pull lender took it.</summary>
    internal sealed record ReplayRow(ApplicationId Id, DateTimeOffset ReceivedAt, int? Age, decimal MonthlyIncome, decimal? ExistingMonthlyDebt,
        Employment Employment, decimal RequestedAmount, int TermMonths, string ProvinceCode, int? BureauScore, LoanPurpose Purpose, int Score, RiskTier Tier,
        long? CatalogVersionId, string? RecordWithLimits, bool Unplaced, ProductId? Product, decimal ExpectedCommission, bool Pulled)
    {
        public ReplayItem ToReplayItem(IReadOnlyDictionary<ApplicationId, int>? olderAges)
        {
            var day = BusinessDay.Of(ReceivedAt);
            // Born exactly that many years before the decision day: the same age on it, which is all eligibility reads.
            var age = Age ?? olderAges![Id];
            var profile = new ApplicantProfile(day.AddYears(-age), MonthlyIncome, ExistingMonthlyDebt ?? 0m, Employment, RequestedAmount, TermMonths,
                ProvinceCode, BureauScore, Purpose);
            var actual = RecordWithLimits is { } json ? DecisionRecord.FromJson(json)
                : new DecisionRecord("", Score, Tier, [], [], [], null, Decision.Route, [],
                    Product is null ? ApplicationStatus.Unmatched : ApplicationStatus.Routed, null, [], null, day, false);
            return new ReplayItem(Id, ReceivedAt, profile, actual, Product, Product is null ? 0m : ExpectedCommission)
            {
                CatalogVersionId = CatalogVersionId,
                ActualUnplaced = Unplaced,
            };
        }
    }

    /// <summary>Passes replay counts straight on; the caller's own IProgress decides where they are shown.</summary>
    private sealed class Relay(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
