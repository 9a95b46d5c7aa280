using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Core.Identity;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Blocklists;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Review;

/// <summary>
/// The review queue: lists open cases, claims and releases them (guarded by the case's version, so of two
/// reviewers clicking Claim together one wins), and hands decisions to <see cref="EngineHost"/>, the only
/// writer that routes. Every operation checks <see cref="Policies.ReviewAct"/> itself; hiding buttons is not enough.
/// </summary>
public sealed class ReviewService(
    IDbContextFactory<LoanHubDbContext> contexts,
    EngineHost engine,
    IAuthorizationService authorization,
    Cluster.ClusterSignals signals,
    Learning.LearnedRatesBoard rates,
    TimeProvider clock)
{
    /// <summary>The most cases one queue load lists; the rest wait behind the oldest (the counts still cover them).</summary>
    public const int MaxListed = 1000;

    public async Task<ReviewQueue> GetQueueAsync(ClaimsPrincipal user, ReviewQueueFilter filter, CancellationToken cancellationToken = default)
    {
        var reviewer = await RequireReviewerAsync(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.Code)
            .Select(s => new SourceOption(s.Id, s.Code, s.Name)).ToListAsync(cancellationToken);
        var sourceCodes = sources.ToDictionary(s => s.Id, s => s.Code);

        // Reasons are a JSON column: the signal filter runs after loading; the open queue is small next to the store.
        var waiting = await WaitingCases.Of(db)
            .OrderBy(r => r.OpenedAt)
            .Select(r => new { r.Id, r.Version, r.ApplicationId, r.SourceId, r.OpenedAt, r.Reasons, r.ClusterId, r.Status, r.ClaimedBy })
            .ToListAsync(cancellationToken);

        var bySource = filter.SourceId is { } source ? waiting.Where(r => r.SourceId == source).ToList() : waiting;
        var signalCounts = bySource.SelectMany(r => r.Reasons).GroupBy(code => code)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Count());
        var listed = bySource.Where(r => filter.Signal is null || r.Reasons.Contains(filter.Signal)).Take(MaxListed).ToList();

        var applicationIds = listed.Select(r => r.ApplicationId).ToList();
        var applicants = await db.Applications.AsNoTracking().Where(a => applicationIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Applicant.FullName, a.Applicant.RequestedAmount })
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        var scores = await db.Assessments.AsNoTracking().Where(a => applicationIds.Contains(a.ApplicationId))
            .Select(a => new { a.ApplicationId, a.Score, a.Tier })
            .ToDictionaryAsync(a => a.ApplicationId, cancellationToken);
        var ringSizes = await RingSizesAsync(db, [.. listed.Where(r => r.ClusterId is not null).Select(r => r.ClusterId!.Value).Distinct()], cancellationToken);

        var items = listed.Select(r => new ReviewQueueItem(
                r.Id, r.Version, r.ApplicationId,
                applicants.TryGetValue(r.ApplicationId, out var a) ? PersonalDataMask.Name(a.FullName) : "*",
                a?.RequestedAmount ?? 0m,
                sourceCodes.GetValueOrDefault(r.SourceId, "?"),
                r.OpenedAt, r.Reasons,
                scores.TryGetValue(r.ApplicationId, out var s) ? s.Score : 0,
                s?.Tier ?? RiskTier.E,
                r.ClusterId,
                r.ClusterId is { } c ? ringSizes.GetValueOrDefault(c) : 0,
                r.Status, r.ClaimedBy))
            .ToList();

        return new ReviewQueue(
            items,
            waiting.Count,
            waiting.Count(r => r.Status == ReviewStatus.Claimed),
            waiting.Count(r => r.Status == ReviewStatus.Claimed && r.ClaimedBy == reviewer),
            waiting.Count(r => r.ClusterId is not null),
            waiting.Count > 0 ? waiting[0].OpenedAt : null,
            signalCounts,
            sources,
            clock.GetUtcNow(),
            await WaitingCases.SlaAsync(db, cancellationToken));
    }

    /// <summary>A ring's size is that of the largest cluster any of its cases recorded: rings only grow as members arrive.</summary>
    private static async Task<Dictionary<Guid, int>> RingSizesAsync(LoanHubDbContext db, List<Guid> clusterIds, CancellationToken cancellationToken)
    {
        if (clusterIds.Count == 0) return [];
        var records = await (from r in db.ReviewCases.AsNoTracking()
                             where r.ClusterId != null && clusterIds.Contains(r.ClusterId.Value)
                             join x in db.Assessments.AsNoTracking() on r.ApplicationId equals x.ApplicationId
                             select new { ClusterId = r.ClusterId!.Value, x.DecisionRecordJson })
            .ToListAsync(cancellationToken);
        return records.GroupBy(r => r.ClusterId)
            .ToDictionary(g => g.Key, g => g.Max(r => DecisionRecord.FromJson(r.DecisionRecordJson).Cluster?.Members.Count ?? 1));
    }

    public async Task<ReviewCaseDetail?> GetCaseAsync(ClaimsPrincipal user, Guid caseId, CancellationToken cancellationToken = default)
    {
        await RequireReviewerAsync(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var review = await db.ReviewCases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == caseId, cancellationToken);
        if (review is null) return null;
        var application = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == review.ApplicationId, cancellationToken);
        var json = await db.Assessments.AsNoTracking().Where(a => a.ApplicationId == review.ApplicationId)
            .Select(a => a.DecisionRecordJson).SingleAsync(cancellationToken);
        var record = DecisionRecord.FromJson(json);
        var source = await db.Sources.AsNoTracking().Where(s => s.Id == review.SourceId)
            .Select(s => new { s.Code, s.Name }).SingleOrDefaultAsync(cancellationToken);

        var applicant = application.Applicant;
        var summary = new ApplicantSummary(
            PersonalDataMask.Name(applicant.FullName), PersonalDataMask.NationalId(applicant.NationalId), PersonalDataMask.Phone(applicant.Phone),
            Provinces.NameOf(applicant.ProvinceCode), applicant.City, applicant.KnownAgeOn(BusinessDay.Of(clock.GetUtcNow())),
            applicant.Employment, applicant.MonthlyIncome, applicant.ExistingMonthlyDebt, applicant.RequestedAmount, applicant.TermMonths, applicant.Purpose);

        var cluster = await ClusterAsync(db, review, record, cancellationToken);
        var routed = application.Status == ApplicationStatus.Routed
            ? (await RoutedProductsAsync(db, [application.Id], cancellationToken)).GetValueOrDefault(application.Id)
            : null;

        return new ReviewCaseDetail(review.Id, review.Version, review.Status, review.ClaimedBy, review.ClaimedAt, review.DecidedBy, review.DecidedAt,
            review.Note, review.OpenedAt, review.Reasons, application.Id, application.Status, summary,
            source?.Code ?? "?", source?.Name ?? "Unknown source", record, cluster, routed, await RatesAsync(db, applicant.Purpose, cancellationToken))
        {
            ExternalRef = application.ExternalRef,
            Sla = await WaitingCases.SlaAsync(db, cancellationToken),
            Preview = review.IsDecided ? null : await PreviewAsync(db, application, record, cancellationToken),
        };
    }

    // The catalog is a few dozen rows: every product's APR, and whether it is active and lends for the applicant's purpose.
    private static async Task<IReadOnlyList<ProductRate>> RatesAsync(LoanHubDbContext db, LoanPurpose purpose, CancellationToken cancellationToken)
    {
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).OrderBy(l => l.Code).ToListAsync(cancellationToken);
        return [.. lenders.SelectMany(l => l.Products.OrderBy(p => p.Code, StringComparer.Ordinal).Select(p => new ProductRate(p.Id, l.Code, p.Code, p.Apr,
            l.IsActive && p.IsActive && (p.Criteria.Purposes.Count == 0 || p.Criteria.Purposes.Contains(purpose)))))];
    }

    private static async Task<ClusterView?> ClusterAsync(LoanHubDbContext db, ReviewCase review, DecisionRecord record, CancellationToken cancellationToken)
    {
        var largest = record.Cluster;
        if (review.ClusterId is { } clusterId)
        {
            // Members that arrived after this case carry the grown ring in their own records.
            var jsons = await (from r in db.ReviewCases.AsNoTracking()
                               where r.ClusterId == clusterId
                               join x in db.Assessments.AsNoTracking() on r.ApplicationId equals x.ApplicationId
                               select x.DecisionRecordJson).ToListAsync(cancellationToken);
            foreach (var other in jsons.Select(DecisionRecord.FromJson))
            {
                if (other.Cluster is { } c && (largest is null || c.Members.Count > largest.Members.Count)) largest = c;
            }
        }
        if (largest is null) return null;

        var memberIds = largest.Members.Select(m => m.ApplicationId).ToList();
        var members = await db.Applications.AsNoTracking().Where(a => memberIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Applicant.FullName, a.Status }).ToDictionaryAsync(a => a.Id, cancellationToken);
        var cases = await db.ReviewCases.AsNoTracking().Where(r => memberIds.Contains(r.ApplicationId))
            .Select(r => new { r.Id, r.ApplicationId, r.Status, r.ClaimedBy }).ToDictionaryAsync(r => r.ApplicationId, cancellationToken);

        var nodes = largest.Members.Select(m =>
        {
            members.TryGetValue(m.ApplicationId, out var a);
            cases.TryGetValue(m.ApplicationId, out var c);
            return new ClusterNode(m.ApplicationId, a is null ? "*" : PersonalDataMask.Name(a.FullName), a?.Status ?? ApplicationStatus.Received,
                c?.Id, c?.Status, c?.ClaimedBy, m.ApplicationId == review.ApplicationId);
        }).ToList();
        var links = largest.Links.Select(l => new ClusterEdge(l.Kind, l.Applications)).ToList();
        return new ClusterView(largest.ClusterId, largest.DistinctIdentities, nodes, links);
    }

    public async Task<ReviewActionResult> ClaimAsync(ClaimsPrincipal user, Guid caseId, int versionSeen, CancellationToken cancellationToken = default)
    {
        var reviewer = await RequireReviewerAsync(user);
        return await ChangeAsync(caseId, versionSeen, reviewer, "Case claimed", review =>
        {
            if (review.Status == ReviewStatus.Claimed && review.ClaimedBy != reviewer)
                throw new DomainException($"This case is already claimed by {review.ClaimedBy}.");
            review.Claim(reviewer, clock.GetUtcNow());
        }, cancellationToken);
    }

    public async Task<ReviewActionResult> ReleaseAsync(ClaimsPrincipal user, Guid caseId, int versionSeen, CancellationToken cancellationToken = default)
    {
        var reviewer = await RequireReviewerAsync(user);
        return await ChangeAsync(caseId, versionSeen, reviewer, "Case released", review => review.Release(reviewer), cancellationToken);
    }

    /// <summary>
    /// Which products would take the applicant if approved now: the engine's eligibility rule over the catalog under the
    /// active policy, with today's caps and this month's budgets as the store has them. Eligible first. The engine decides
    /// again at approval (usage moves, a lender may still refuse the delivery).
    /// </summary>
    private async Task<IReadOnlyList<ProductEligibility>> PreviewAsync(LoanHubDbContext db, LoanApplication application, DecisionRecord record,
        CancellationToken cancellationToken)
    {
        var products = await engine.CatalogProductsAsync(cancellationToken);
        var today = BusinessDay.Of(clock.GetUtcNow());
        var usage = await ProductUsageQuery.ReadAsync(db, [.. products.Select(p => p.ProductId)], today, cancellationToken);
        var profile = ApplicantProfile.From(application.Applicant);
        var learned = rates.Current;
        return [.. products
            .Select(p => (Product: p, Result: Eligibility.Check(profile, record.Score, record.Tier, p, usage.GetValueOrDefault(p.ProductId) ?? ProductUsage.None, today, learned)))
            .Select(x => new ProductEligibility(x.Product.ProductId, x.Product.LenderCode, x.Product.ProductCode, x.Result.IsEligible, x.Result.Reasons, x.Result.ExpectedCommission))
            .OrderByDescending(e => e.IsEligible).ThenBy(e => e.LenderCode, StringComparer.Ordinal).ThenBy(e => e.ProductCode, StringComparer.Ordinal)];
    }

    /// <summary>The oldest case waiting, open or claimed by <paramref name="user"/>, other than <paramref name="after"/>; null when none.</summary>
    public async Task<Guid?> NextCaseAsync(ClaimsPrincipal user, Guid after, CancellationToken cancellationToken = default)
    {
        var reviewer = await RequireReviewerAsync(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ReviewCases.AsNoTracking()
            .Where(r => r.Id != after && (r.Status == ReviewStatus.Open || (r.Status == ReviewStatus.Claimed && r.ClaimedBy == reviewer)))
            .OrderBy(r => r.OpenedAt).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>An admin takes over a case another reviewer claimed, audited with whose claim it was.</summary>
    public async Task<ReviewActionResult> TakeOverAsync(ClaimsPrincipal user, Guid caseId, int versionSeen, CancellationToken cancellationToken = default)
    {
        var admin = await RequireReviewerAsync(user);
        if (!user.IsInRole(Roles.Admin)) return ReviewActionResult.Fail("Only an admin can take over a case someone else claimed.");
        return await ChangeAsync(caseId, versionSeen, admin, "Case taken over", review => review.TakeOver(admin, clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// An admin gives a waiting case to a named reviewer (open, or claimed by someone away), audited with whose claim it
    /// was. Only someone who may work the queue and is not locked out can be given a case.
    /// </summary>
    public async Task<ReviewActionResult> ReassignAsync(ClaimsPrincipal user, Guid caseId, int versionSeen, string toReviewer,
        CancellationToken cancellationToken = default)
    {
        var admin = await RequireReviewerAsync(user);
        if (!user.IsInRole(Roles.Admin)) return ReviewActionResult.Fail("Only an admin can give a case to another reviewer.");
        if (!(await ReviewersAsync(user, cancellationToken)).Contains(toReviewer))
            return ReviewActionResult.Fail("Only a reviewer who may work the queue and is not locked out can be given a case.");
        return await ChangeAsync(caseId, versionSeen, admin, "Case reassigned", review => review.AssignTo(toReviewer, clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>Who can be given a case: the users whose roles may work the queue (<see cref="Policies.ReviewAct"/>), not locked out, by name.</summary>
    public async Task<IReadOnlyList<string>> ReviewersAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await RequireReviewerAsync(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var roles = Policies.RolesByPolicy[Policies.ReviewAct];
        var now = clock.GetUtcNow();
        var names = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where roles.Contains(r.Name!)
                           select new { u.UserName, u.LockoutEnd }).ToListAsync(cancellationToken);
        // LockoutEnd is compared here: SQLite cannot order or compare DateTimeOffset in SQL.
        return [.. names.Where(n => n.UserName is not null && !(n.LockoutEnd > now)).Select(n => n.UserName!).Distinct().Order(StringComparer.Ordinal)];
    }

    private async Task<ReviewActionResult> ChangeAsync(Guid caseId, int versionSeen, string reviewer, string action, Action<ReviewCase> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var review = await db.ReviewCases.SingleOrDefaultAsync(r => r.Id == caseId, cancellationToken);
        if (review is null) return ReviewActionResult.Fail("The case no longer exists.");
        // Saved against the version the reviewer saw: a claim that raced another one matches no row.
        db.Entry(review).Property(r => r.Version).OriginalValue = versionSeen;
        var before = new { review.Status, review.ClaimedBy };
        try
        {
            change(review);
            new AuditTrail(db, reviewer, clock.GetUtcNow()).Record("Review", action, nameof(ReviewCase), review.Id.ToString(),
                before, new { review.Status, review.ClaimedBy });
            await db.SaveChangesAsync(cancellationToken);
            await signals.PublishAsync(Cluster.ClusterSignal.Reviews, cancellationToken); // other reviewers' open pages see it at once
            return new ReviewActionResult(true, null, review.Version);
        }
        catch (DomainException e)
        {
            return ReviewActionResult.Fail(e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            var now = await fresh.ReviewCases.AsNoTracking().Where(r => r.Id == caseId)
                .Select(r => new { r.Status, r.ClaimedBy, r.DecidedBy }).SingleOrDefaultAsync(cancellationToken);
            return ReviewActionResult.Fail(now switch
            {
                null => "The case no longer exists.",
                { Status: ReviewStatus.Claimed } when now.ClaimedBy != reviewer => $"This case is already claimed by {now.ClaimedBy}.",
                { Status: ReviewStatus.Approved or ReviewStatus.Rejected } => $"This case was already decided by {now.DecidedBy}.",
                _ => "The case changed since you loaded it. The view is refreshed; try again.",
            });
        }
    }

    /// <summary>
    /// Approves or rejects a case, or every open case of its ring, through the engine's writer: approval
    /// routes now by the active policy. All the cases are decided in one transaction or none is.
    /// </summary>
    public Task<ReviewDecisionResult> DecideAsync(ClaimsPrincipal user, Guid caseId, bool approve, string note, bool wholeRing,
        CancellationToken cancellationToken = default) =>
        DecideAsync(user, caseId, approve, note, wholeRing, block: null, cancellationToken);

    /// <param name="block">On a rejection, what of the rejected applicants to put on the blocklist (their national ID, phone, device) and for how long.</param>
    public async Task<ReviewDecisionResult> DecideAsync(ClaimsPrincipal user, Guid caseId, bool approve, string note, bool wholeRing, BlockRequest? block,
        CancellationToken cancellationToken = default)
    {
        var reviewer = await RequireReviewerAsync(user);
        if (string.IsNullOrWhiteSpace(note)) return ReviewDecisionResult.Fail("Write a note that explains the decision.");

        List<Guid> caseIds;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var review = await db.ReviewCases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == caseId, cancellationToken);
            if (review is null) return ReviewDecisionResult.Fail("The case no longer exists.");
            if (review.IsDecided) return ReviewDecisionResult.Fail($"This case was already decided by {review.DecidedBy}.");
            caseIds = wholeRing && review.ClusterId is { } clusterId
                ? await db.ReviewCases.AsNoTracking().Where(r => r.ClusterId == clusterId && (r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed))
                    .OrderBy(r => r.OpenedAt).Select(r => r.Id).ToListAsync(cancellationToken)
                : [caseId];
        }

        return await DecideCasesAsync(reviewer, caseIds, approve, note, block, cancellationToken);
    }

    /// <summary>The most cases one bulk decision takes.</summary>
    public const int MaxSelected = 200;

    /// <summary>
    /// Approves or rejects the cases a reviewer selected in the queue, with one note, in one transaction: all of them or
    /// none (a case someone else holds, or already decided, stops the whole decision and says which).
    /// </summary>
    public async Task<ReviewDecisionResult> DecideSelectedAsync(ClaimsPrincipal user, IReadOnlyList<Guid> caseIds, bool approve, string note, BlockRequest? block,
        CancellationToken cancellationToken = default)
    {
        var reviewer = await RequireReviewerAsync(user);
        if (string.IsNullOrWhiteSpace(note)) return ReviewDecisionResult.Fail("Write a note that explains the decision.");
        var ids = caseIds.Distinct().ToList();
        if (ids.Count == 0) return ReviewDecisionResult.Fail("Select the cases to decide.");
        if (ids.Count > MaxSelected) return ReviewDecisionResult.Fail("Select at most 200 cases at a time.");
        return await DecideCasesAsync(reviewer, ids, approve, note, block, cancellationToken);
    }

    private async Task<ReviewDecisionResult> DecideCasesAsync(string reviewer, List<Guid> caseIds, bool approve, string note, BlockRequest? block,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<ReviewOutcome> outcomes;
        try
        {
            outcomes = await engine.DecideReviewsAsync(caseIds, approve, reviewer, note.Trim(), approve ? null : block, cancellationToken);
        }
        catch (DomainException e)
        {
            return ReviewDecisionResult.Fail(e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ReviewDecisionResult.Fail("Another reviewer changed one of these cases at the same moment; nothing was decided. Reload and try again.");
        }
        await signals.PublishAsync(Cluster.ClusterSignal.Reviews, cancellationToken); // other reviewers' queues and case pages

        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = outcomes.Select(o => o.ApplicationId).ToList();
        var names = await read.Applications.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Applicant.FullName }).ToDictionaryAsync(a => a.Id, a => PersonalDataMask.Name(a.FullName), cancellationToken);
        var routed = await RoutedProductsAsync(read, [.. outcomes.Where(o => o.RoutedTo is not null).Select(o => o.ApplicationId)], cancellationToken);
        return new ReviewDecisionResult(true, null, [.. outcomes.Select(o => new DecidedCase(o.CaseId, o.ApplicationId,
            names.GetValueOrDefault(o.ApplicationId, "*"), o.Status, routed.GetValueOrDefault(o.ApplicationId)))]);
    }

    private static async Task<Dictionary<ApplicationId, RoutedProduct>> RoutedProductsAsync(LoanHubDbContext db, List<ApplicationId> applicationIds, CancellationToken cancellationToken)
    {
        if (applicationIds.Count == 0) return [];
        var rows = await (from a in db.Allocations.AsNoTracking()
                          where applicationIds.Contains(a.ApplicationId)
                          join p in db.Products.AsNoTracking() on a.ProductId equals p.Id
                          join l in db.Lenders.AsNoTracking() on a.LenderId equals l.Id
                          select new { a.ApplicationId, LenderCode = l.Code, LenderName = l.Name, ProductCode = p.Code, ProductName = p.Name })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ApplicationId)
            .ToDictionary(g => g.Key, g => g.Select(r => new RoutedProduct(r.LenderCode, r.LenderName, r.ProductCode, r.ProductName)).First());
    }

    private async Task<string> RequireReviewerAsync(ClaimsPrincipal user)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name) || !(await authorization.AuthorizeAsync(user, Policies.ReviewAct)).Succeeded)
            throw new UnauthorizedAccessException("Only admins and compliance reviewers can work the review queue.");
        return name;
    }
}
