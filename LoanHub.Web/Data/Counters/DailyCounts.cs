using LoanHub.Core.Domain;

namespace LoanHub.Web.Data.Counters;

/// <summary>
/// How many applicants one source sent on one business day (China Standard Time) that are now in one status,
/// and how many of them raised a fraud signal. Kept by <see cref="DailyCountChanges"/> in the transaction
/// that changes the applications, so the dashboard reads a month in a few hundred rows however large the store.
/// </summary>
public sealed class DailyApplicationCount
{
    public DateOnly Day { get; private set; }
    public SourceId SourceId { get; private set; }
    public ApplicationStatus Status { get; private set; }
    public int Applicants { get; private set; }
    public int Flagged { get; private set; }

    private DailyApplicationCount() { }
}

/// <summary>
/// Leads routed to one lender on one business day (by the day they were allocated) and the commission it earned
/// that day (by the day each ledger entry occurred). Kept like <see cref="DailyApplicationCount"/>.
/// </summary>
public sealed class DailyLenderCount
{
    public DateOnly Day { get; private set; }
    public LenderId LenderId { get; private set; }
    public int Leads { get; private set; }
    public decimal Commission { get; private set; }

    private DailyLenderCount() { }
}
