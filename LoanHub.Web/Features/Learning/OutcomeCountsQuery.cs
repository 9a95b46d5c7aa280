using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Learning;

/// <summary>
/// The counts behind the learned rates, per product × risk tier, aggregated in the store: four GROUP BY queries over
/// delivery attempts and allocations joined to their assessment's tier, in plain LINQ so any EF provider translates
/// them (SQLite now, PostgreSQL later). Nothing is read row by row; what comes back is a few rows per product and tier.
/// </summary>
internal static class OutcomeCountsQuery
{
    /// <summary>The counts of the leads delivered (or offered) at or after <paramref name="since"/>.</summary>
    public static async Task<IReadOnlyList<ProductTierCounts>> CountAsync(LoanHubDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var attempts = await (
                from attempt in db.DeliveryAttempts.AsNoTracking()
                join assessment in db.Assessments.AsNoTracking() on attempt.ApplicationId equals assessment.ApplicationId
                where attempt.CreatedAt >= since
                group attempt by new { attempt.ProductId, assessment.Tier } into g
                select new
                {
                    g.Key.ProductId,
                    g.Key.Tier,
                    Offered = g.Count(a => a.Outcome != AttemptOutcome.InFlight && a.Outcome != AttemptOutcome.Abandoned),
                    Accepted = g.Count(a => a.Outcome == AttemptOutcome.Accepted),
                    PrechecksAnswered = g.Count(a => a.PrecheckResult != null),
                    PrechecksAccepted = g.Count(a => a.PrecheckResult == CallResult.Accepted),
                    PostsAnswered = g.Count(a => a.PostResult != null),
                    PostsAccepted = g.Count(a => a.PostResult == CallResult.Accepted),
                })
            .ToListAsync(cancellationToken);

        var delivered =
            from allocation in db.Allocations.AsNoTracking()
            join assessment in db.Assessments.AsNoTracking() on allocation.ApplicationId equals assessment.ApplicationId
            where allocation.AllocatedAt >= since
            select new { allocation, assessment.Tier };
        var outcomes = await delivered
            .GroupBy(x => new { x.allocation.ProductId, x.Tier })
            .Select(g => new
            {
                g.Key.ProductId,
                g.Key.Tier,
                // A pull lender takes every lead it is given: offered and accepted at once, with no attempt.
                Pulled = g.Count(x => x.allocation.DeliveryId == null),
                Decided = g.Count(x => x.allocation.Status != DeliveryStatus.Delivered),
                Approved = g.Count(x => x.allocation.Status == DeliveryStatus.Approved || x.allocation.Status == DeliveryStatus.Funded),
                Funded = g.Count(x => x.allocation.Status == DeliveryStatus.Funded),
            })
            .ToListAsync(cancellationToken);

        var amounts = await (
                from x in delivered
                join application in db.Applications.AsNoTracking() on x.allocation.ApplicationId equals application.Id
                where x.allocation.Status == DeliveryStatus.Funded
                group new { x.allocation.FundedAmount, application.Applicant.RequestedAmount } by new { x.allocation.ProductId, x.Tier } into g
                select new { g.Key.ProductId, g.Key.Tier, Funded = g.Sum(a => a.FundedAmount), Requested = g.Sum(a => a.RequestedAmount) })
            .ToListAsync(cancellationToken);

        var delays = await delivered
            .Where(x => x.allocation.MinutesToApproval != null)
            .GroupBy(x => new { x.allocation.ProductId, x.Tier, Bucket = x.allocation.MinutesToApproval!.Value / DelayBucket.Minutes })
            .Select(g => new { g.Key.ProductId, g.Key.Tier, g.Key.Bucket, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var attemptsBy = attempts.ToDictionary(a => (a.ProductId, a.Tier));
        var amountsBy = amounts.ToDictionary(a => (a.ProductId, a.Tier));
        var delaysBy = delays.ToLookup(d => (d.ProductId, d.Tier), d => new DelayBucket(d.Bucket, d.Count));
        var keys = attemptsBy.Keys.Concat(outcomes.Select(o => (o.ProductId, o.Tier))).Distinct();
        var outcomesBy = outcomes.ToDictionary(o => (o.ProductId, o.Tier));
        return [.. keys.Select(key =>
        {
            var a = attemptsBy.GetValueOrDefault(key);
            var o = outcomesBy.GetValueOrDefault(key);
            var m = amountsBy.GetValueOrDefault(key);
            return new ProductTierCounts(key.ProductId, key.Tier, new OutcomeCounts
            {
                Offered = (a?.Offered ?? 0) + (o?.Pulled ?? 0),
                Accepted = (a?.Accepted ?? 0) + (o?.Pulled ?? 0),
                PrechecksAnswered = a?.PrechecksAnswered ?? 0,
                PrechecksAccepted = a?.PrechecksAccepted ?? 0,
                PostsAnswered = a?.PostsAnswered ?? 0,
                PostsAccepted = a?.PostsAccepted ?? 0,
                Decided = o?.Decided ?? 0,
                Approved = o?.Approved ?? 0,
                Funded = o?.Funded ?? 0,
                FundedAmount = m?.Funded ?? 0m,
                RequestedOfFunded = m?.Requested ?? 0m,
                ApprovalDelays = [.. delaysBy[key].OrderBy(d => d.Bucket)],
            });
        })];
    }
}
