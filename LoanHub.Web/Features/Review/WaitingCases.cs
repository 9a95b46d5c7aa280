using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Review;

/// <summary>The review cases still waiting for a decision (open or claimed): one rule for the queue, the dashboard and the SLA alert.</summary>
public static class WaitingCases
{
    public static IQueryable<ReviewCase> Of(LoanHubDbContext db) =>
        db.ReviewCases.AsNoTracking().Where(r => r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed);

    /// <summary>When the oldest waiting case was opened; null when none waits.</summary>
    public static Task<DateTimeOffset?> OldestAsync(LoanHubDbContext db, CancellationToken cancellationToken = default) =>
        Of(db).OrderBy(r => r.OpenedAt).Select(r => (DateTimeOffset?)r.OpenedAt).FirstOrDefaultAsync(cancellationToken);
}
