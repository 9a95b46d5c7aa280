using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Reports;

/// <summary>A report period in China Standard Time days, both ends inclusive, narrowed by optional codes.</summary>
public sealed record ReportFilter(DateOnly From, DateOnly To, string? Lender = null, string? Product = null, string? Source = null)
{
    /// <summary>The first instant of <see cref="From"/> and the first instant after <see cref="To"/>.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Window => (DayStart(From), DayStart(To.AddDays(1)));

    public int Days => To.DayNumber - From.DayNumber + 1;

    private static DateTimeOffset DayStart(DateOnly day) =>
        new(day.ToDateTime(TimeOnly.MinValue), Core.Engine.BusinessDay.ChinaStandardTime);
}

/// <summary>One lender × product (× contract model) line of the summary.</summary>
public sealed record SummaryRow(string LenderCode, string LenderName, string ProductCode, string ProductName, CommissionModel Model,
    int Leads, int Approved, int Funded, decimal FundedAmount, decimal Commission);

public sealed record SummaryTotals(int Leads, int Approved, int Funded, decimal FundedAmount, decimal Commission)
{
    public static SummaryTotals Of(IEnumerable<SummaryRow> rows)
    {
        var list = rows as IReadOnlyCollection<SummaryRow> ?? rows.ToList();
        return new(list.Sum(r => r.Leads), list.Sum(r => r.Approved), list.Sum(r => r.Funded), list.Sum(r => r.FundedAmount), list.Sum(r => r.Commission));
    }
}

/// <summary>Commission one lender earned on one business day.</summary>
public sealed record DailyCommission(DateOnly Day, string LenderCode, decimal Commission);

/// <summary>
/// One ledger entry as the Detail sheet shows it; <see cref="OccurredAt"/> is in China Standard Time and
/// <see cref="Reference"/> is the source's reference for the application, the one the console's pages show.
/// </summary>
public sealed record DetailRow(DateTime OccurredAt, string Lender, string Product, Guid ApplicationId, string Source,
    CommissionEvent Event, decimal? FundedAmount, decimal Commission, string Reference);

public sealed record CommissionPreview(ReportFilter Filter, IReadOnlyList<SummaryRow> Rows, SummaryTotals Totals,
    IReadOnlyList<DailyCommission> PerDay, int LedgerEntries);

/// <summary>What LoanHub expects one lender to settle for the period, and how many of its leads still await an outcome.</summary>
public sealed record ReconciliationRow(string LenderCode, string LenderName, int Leads, int Approved, int Funded,
    decimal FundedAmount, decimal ExpectedCommission, int AwaitingOutcome);

/// <summary>A lead delivered more than the threshold ago that its lender has not reported on.</summary>
public sealed record UnreportedLead(Guid ApplicationId, string LenderCode, string ProductCode, string SourceCode, DateTimeOffset RoutedAt, int DaysSince);

public sealed record Reconciliation(int OlderThanDays, IReadOnlyList<ReconciliationRow> Lenders, int UnreportedCount, IReadOnlyList<UnreportedLead> FirstUnreported);

/// <summary>A filter code that names nothing in the store.</summary>
public sealed class UnknownCodeException(string field, string code) : Exception($"No {field} has the code '{code}'.")
{
    public string Field { get; } = field;
}
