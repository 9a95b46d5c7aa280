using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Reports;

/// <summary>
/// Commission reports, all read from the ledger (one entry per delivery, approval and funding): leads, approvals
/// and fundings are counts of entries, money is the sum of their amounts. Days are China Standard Time.
/// </summary>
public sealed class CommissionReportService(IDbContextFactory<LoanHubDbContext> contexts, TimeProvider clock)
{
    public const int DefaultOverdueDays = 14;
    public const int UnreportedPageSize = 25;

    public async Task<CommissionPreview> PreviewAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var scope = await ResolveAsync(db, filter, cancellationToken);
        var rows = await SummaryAsync(db, scope, cancellationToken);
        var entries = await Ledger(db, scope).CountAsync(cancellationToken);
        return new CommissionPreview(filter, rows, SummaryTotals.Of(rows), await PerDayAsync(db, scope, cancellationToken), entries);
    }

    public async Task<IReadOnlyList<SummaryRow>> SummaryAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await SummaryAsync(db, await ResolveAsync(db, filter, cancellationToken), cancellationToken);
    }

    public async Task<int> CountEntriesAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Ledger(db, await ResolveAsync(db, filter, cancellationToken)).CountAsync(cancellationToken);
    }

    /// <summary>Every ledger entry of the filter, oldest first, read from the store row by row as it is consumed.</summary>
    public async IAsyncEnumerable<DetailRow> DetailAsync(ReportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var scope = await ResolveAsync(db, filter, cancellationToken);
        // A left join: the ledger outlives an application erased or removed by retention.
        var query = (from e in Ledger(db, scope)
                     join a in db.Applications.AsNoTracking() on e.ApplicationId equals a.Id into applications
                     from a in applications.DefaultIfEmpty()
                     orderby e.OccurredAt, e.Id
                     select new { e.OccurredAt, e.LenderId, e.ProductId, e.ApplicationId, e.SourceId, e.Event, e.FundedAmount, e.Amount, Reference = a == null ? null : a.ExternalRef })
            .AsAsyncEnumerable();
        await foreach (var e in query.WithCancellation(cancellationToken))
        {
            yield return new DetailRow(e.OccurredAt.ToOffset(BusinessDay.ChinaStandardTime).DateTime, scope.Lenders[e.LenderId].Code,
                scope.Products[e.ProductId].Code, e.ApplicationId.Value, scope.Sources.GetValueOrDefault(e.SourceId) ?? "?", e.Event, e.FundedAmount, e.Amount, e.Reference ?? "");
        }
    }

    /// <summary>
    /// Per lender: what LoanHub's own records say the lender owes for the period, and the leads delivered in the period
    /// more than <paramref name="olderThanDays"/> days ago that the lender has not reported on (oldest first).
    /// </summary>
    public async Task<Reconciliation> ReconcileAsync(ReportFilter filter, int olderThanDays = DefaultOverdueDays, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(olderThanDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var scope = await ResolveAsync(db, filter, cancellationToken);
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-olderThanDays);

        var unreported = db.Allocations.AsNoTracking()
            .Where(a => a.Status == DeliveryStatus.Delivered && a.AllocatedAt >= scope.Start && a.AllocatedAt < scope.End && a.AllocatedAt <= cutoff);
        if (scope.LenderId is { } lender) unreported = unreported.Where(a => a.LenderId == lender);
        if (scope.ProductId is { } product) unreported = unreported.Where(a => a.ProductId == product);
        if (scope.SourceId is { } source) unreported = unreported.Where(a => a.SourceId == source);

        var awaiting = (await unreported.GroupBy(a => a.LenderId).Select(g => new { LenderId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToDictionary(x => x.LenderId, x => x.Count);
        var first = (await unreported.OrderBy(a => a.AllocatedAt).Take(UnreportedPageSize)
                .Select(a => new { a.ApplicationId, a.LenderId, a.ProductId, a.SourceId, a.AllocatedAt }).ToListAsync(cancellationToken))
            .Select(a => new UnreportedLead(a.ApplicationId.Value, scope.Lenders[a.LenderId].Code, scope.Products[a.ProductId].Code,
                scope.Sources.GetValueOrDefault(a.SourceId) ?? "?", a.AllocatedAt, (int)(now - a.AllocatedAt).TotalDays))
            .ToList();

        var summary = await SummaryAsync(db, scope, cancellationToken);
        var lenders = summary.GroupBy(r => (r.LenderCode, r.LenderName)).Select(g => g.Key)
            .Union(awaiting.Keys.Select(id => (scope.Lenders[id].Code, scope.Lenders[id].Name)))
            .OrderBy(l => l.Item1, StringComparer.Ordinal)
            .Select(l =>
            {
                var rows = summary.Where(r => r.LenderCode == l.Item1).ToList();
                var id = scope.Lenders.Single(x => x.Value.Code == l.Item1).Key;
                return new ReconciliationRow(l.Item1, l.Item2, rows.Sum(r => r.Leads), rows.Sum(r => r.Approved), rows.Sum(r => r.Funded),
                    rows.Sum(r => r.FundedAmount), rows.Sum(r => r.Commission), awaiting.GetValueOrDefault(id));
            })
            .ToList();
        return new Reconciliation(olderThanDays, lenders, awaiting.Values.Sum(), first);
    }

    /// <summary>Codes of the lenders, products and sources, for the filter pickers.</summary>
    public async Task<ReportChoices> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().OrderBy(l => l.Code).Select(l => new { l.Id, l.Code, l.Name }).ToListAsync(cancellationToken);
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Code).Select(p => new { p.LenderId, p.Code, p.Name }).ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.Code).Select(s => new Choice(s.Code, s.Name)).ToListAsync(cancellationToken);
        var lenderCodes = lenders.ToDictionary(l => l.Id, l => l.Code);
        return new ReportChoices(
            lenders.Select(l => new Choice(l.Code, l.Name)).ToList(),
            products.Select(p => new Choice(p.Code, p.Name, lenderCodes[p.LenderId])).ToList(),
            sources);
    }

    private static IQueryable<CommissionEntry> Ledger(LoanHubDbContext db, Scope scope)
    {
        var query = db.CommissionEntries.AsNoTracking().Where(e => e.OccurredAt >= scope.Start && e.OccurredAt < scope.End);
        if (scope.LenderId is { } lender) query = query.Where(e => e.LenderId == lender);
        if (scope.ProductId is { } product) query = query.Where(e => e.ProductId == product);
        if (scope.SourceId is { } source) query = query.Where(e => e.SourceId == source);
        return query;
    }

    private static async Task<IReadOnlyList<SummaryRow>> SummaryAsync(LoanHubDbContext db, Scope scope, CancellationToken cancellationToken)
    {
        var groups = await Ledger(db, scope)
            .GroupBy(e => new { e.LenderId, e.ProductId, e.Model })
            .Select(g => new
            {
                g.Key.LenderId,
                g.Key.ProductId,
                g.Key.Model,
                Leads = g.Count(e => e.Event == CommissionEvent.Delivered),
                Approved = g.Count(e => e.Event == CommissionEvent.Approved),
                Funded = g.Count(e => e.Event == CommissionEvent.Funded),
                FundedAmount = g.Sum(e => e.FundedAmount),
                Commission = g.Sum(e => e.Amount),
            })
            .ToListAsync(cancellationToken);
        return groups
            .Select(g => new SummaryRow(scope.Lenders[g.LenderId].Code, scope.Lenders[g.LenderId].Name, scope.Products[g.ProductId].Code,
                scope.Products[g.ProductId].Name, g.Model, g.Leads, g.Approved, g.Funded, g.FundedAmount ?? 0m, g.Commission))
            .OrderBy(r => r.LenderCode, StringComparer.Ordinal).ThenBy(r => r.ProductCode, StringComparer.Ordinal).ThenBy(r => r.Model)
            .ToList();
    }

    internal sealed record DayBucket(Guid LenderId, long Bucket, long Fen);

    // Instants are UTC ticks in the store and China has no daylight saving, so a day is plain integer division in SQL.
    // The same SQL on both providers: each binds the ids in its own form of a GUID, and an unused filter is left out
    // rather than bound as a null PostgreSQL could not give a type.
    private static async Task<IReadOnlyList<DailyCommission>> PerDayAsync(LoanHubDbContext db, Scope scope, CancellationToken cancellationToken)
    {
        var start = scope.Start.UtcTicks;
        var values = new List<object> { start, TimeSpan.TicksPerDay, scope.End.UtcTicks };
        var sql = new StringBuilder("""
            SELECT "LenderId", ("OccurredAt" - {0}) / {1} AS "Bucket", CAST(SUM("Amount") AS BIGINT) AS "Fen"
            FROM "CommissionLedger"
            WHERE "OccurredAt" >= {0} AND "OccurredAt" < {2}
            """);
        foreach (var (column, id) in new[] { ("LenderId", scope.LenderId?.Value), ("ProductId", scope.ProductId?.Value), ("SourceId", scope.SourceId?.Value) })
        {
            if (id is not { } value) continue;
            sql.Append(CultureInfo.InvariantCulture, $" AND \"{column}\" = {{{values.Count}}}");
            values.Add(value);
        }
        var buckets = await db.Database.SqlQueryRaw<DayBucket>(sql.AppendLine().Append("GROUP BY 1, 2").ToString(), [.. values]).ToListAsync(cancellationToken);
        var first = BusinessDay.Of(scope.Start);
        return buckets
            .Select(b => new DailyCommission(first.AddDays((int)b.Bucket), scope.Lenders[new LenderId(b.LenderId)].Code, b.Fen / 100m))
            .OrderBy(d => d.Day).ThenBy(d => d.LenderCode, StringComparer.Ordinal)
            .ToList();
    }

    private sealed record Named(string Code, string Name);

    private sealed record Scope(DateTimeOffset Start, DateTimeOffset End, LenderId? LenderId, ProductId? ProductId, SourceId? SourceId,
        IReadOnlyDictionary<LenderId, Named> Lenders, IReadOnlyDictionary<ProductId, Named> Products, IReadOnlyDictionary<SourceId, string> Sources);

    private static async Task<Scope> ResolveAsync(LoanHubDbContext db, ReportFilter filter, CancellationToken cancellationToken)
    {
        if (filter.From > filter.To) throw new ArgumentException("The period starts after it ends.", nameof(filter));
        var lenders = await db.Lenders.AsNoTracking().Select(l => new { l.Id, l.Code, l.Name }).ToDictionaryAsync(l => l.Id, l => new Named(l.Code, l.Name), cancellationToken);
        var products = await db.Products.AsNoTracking().Select(p => new { p.Id, p.Code, p.Name }).ToDictionaryAsync(p => p.Id, p => new Named(p.Code, p.Name), cancellationToken);
        var sources = await db.Sources.AsNoTracking().Select(s => new { s.Id, s.Code }).ToDictionaryAsync(s => s.Id, s => s.Code, cancellationToken);

        LenderId? lender = Pick(lenders, filter.Lender, "lender", n => n.Code);
        ProductId? product = Pick(products, filter.Product, "product", n => n.Code);
        SourceId? source = Pick(sources, filter.Source, "source", c => c);
        var (start, end) = filter.Window;
        return new Scope(start, end, lender, product, source, lenders, products, sources);

        static TKey? Pick<TKey, TValue>(Dictionary<TKey, TValue> all, string? code, string field, Func<TValue, string> codeOf) where TKey : struct
        {
            if (string.IsNullOrWhiteSpace(code)) return null;
            foreach (var (key, value) in all)
                if (string.Equals(codeOf(value), code.Trim(), StringComparison.OrdinalIgnoreCase)) return key;
            throw new UnknownCodeException(field, code);
        }
    }
}

public sealed record Choice(string Code, string Name, string? Parent = null);

public sealed record ReportChoices(IReadOnlyList<Choice> Lenders, IReadOnlyList<Choice> Products, IReadOnlyList<Choice> Sources);
