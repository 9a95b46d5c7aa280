using System.Security.Claims;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Core.Identity;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Dashboard;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

/// <summary>
/// The applications list and detail. Reads page by page on indexed columns (received time, status, the
/// keyed hashes), never the whole table; decrypts personal data only for the rows on screen and shows it
/// masked. The full value comes only from <see cref="RevealAsync"/>, which checks the caller's right and
/// writes the reveal to the audit log. The timeline is worded in the culture of the circuit that asks for it.
/// </summary>
public sealed class ApplicationsService(
    IDbContextFactory<LoanHubDbContext> contexts,
    PersonalData personalData,
    IAuthorizationService authorization,
    TimeProvider clock,
    IStringLocalizer<ApplicationsStrings> L)
{
    /// <summary>
    /// Counting stops here: an exact count of a filter that matches most of a million rows costs far more than the
    /// page itself. Beyond it the pager says "2,000+" and pages on for as long as pages come back full.
    /// </summary>
    public const int CountCap = 2_000;

    public async Task<ApplicationFilterOptions> GetFilterOptionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.Code)
            .Select(s => new FilterChoice<SourceId>(s.Id, s.Code, s.Name)).ToListAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().OrderBy(l => l.Code)
            .Select(l => new FilterChoice<LenderId>(l.Id, l.Code, l.Name)).ToListAsync(cancellationToken);
        return new ApplicationFilterOptions(sources, lenders);
    }

    /// <summary>
    /// One page of the applications the filter matches. A search by national ID or phone looks a person up, so it is
    /// written to the audit log first — who, when, and by which kind of identifier, with the value masked — and needs a
    /// signed-in <paramref name="user"/>.
    /// </summary>
    public async Task<ApplicationPage> SearchAsync(ApplicationFilter filter, int page, int pageSize, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var identity = IdentityOf(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (identity is { } person) await AuditLookUpAsync(db, person.Kind, person.Value, user, cancellationToken);
        var query = Filtered(db, filter, identity);

        var counted = await query.OrderByDescending(a => a.ReceivedAt).Select(a => a.Id).Take(CountCap + 1).CountAsync(cancellationToken);
        var rows = await RowsAsync(db, query, page * pageSize, pageSize + 1, cancellationToken); // one row more tells whether another page follows
        var morePages = rows.Count > pageSize;
        if (morePages) rows.RemoveAt(pageSize);
        return new ApplicationPage(rows, PagerTotal(counted, page, pageSize, rows.Count, morePages), counted > CountCap);
    }

    /// <summary>
    /// Every application <paramref name="filter"/> matches, newest first, as the list shows them (personal data masked), read
    /// <paramref name="batchSize"/> at a time; the caller is told first, through the count, whether there are more than
    /// <paramref name="limit"/>. The national ID or phone search is not exported: it looks one person up, on screen.
    /// </summary>
    public async Task<(int Count, IAsyncEnumerable<ApplicationRow> Rows)> ExportAsync(ApplicationFilter filter, int limit, CancellationToken cancellationToken,
        int batchSize = 1_000)
    {
        if (filter.IdOrPhone is not null) throw new DomainException("A search by national ID or phone is not exported.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var count = await Filtered(db, filter, null).Select(a => a.Id).Take(limit + 1).CountAsync(cancellationToken);
        return (count, Batches());

        async IAsyncEnumerable<ApplicationRow> Batches()
        {
            await using var batches = await contexts.CreateDbContextAsync(cancellationToken);
            for (var skip = 0; skip < Math.Min(count, limit); skip += batchSize)
                foreach (var row in await RowsAsync(batches, Filtered(batches, filter, null), skip, Math.Min(batchSize, limit - skip), cancellationToken))
                    yield return row;
        }
    }

    /// <summary>
    /// The unmatched applicants <paramref name="filter"/> matches by cause, whatever cause it names itself: the counts the
    /// page offers to narrow the list by.
    /// </summary>
    public async Task<UnmatchedBreakdown> UnmatchedByCauseAsync(ApplicationFilter filter, CancellationToken cancellationToken = default)
    {
        if (filter.Status is not (null or ApplicationStatus.Unmatched)) return new UnmatchedBreakdown(0, 0, 0);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await Filtered(db, filter with { Status = ApplicationStatus.Unmatched, Cause = null }, IdentityOf(filter))
            .GroupBy(a => a.UnmatchedCause).Select(g => new { Cause = g.Key, Applicants = g.Count() }).ToListAsync(cancellationToken);
        int Of(UnmatchedCause? cause) => counts.Where(c => c.Cause == cause).Sum(c => c.Applicants);
        // No cause recorded: unmatched before deliveries existed, when no eligible product was the only way to be (as the dashboard counts them).
        return new UnmatchedBreakdown(Of(UnmatchedCause.NoEligibleProduct) + Of(null), Of(UnmatchedCause.RefusedByAll), Of(UnmatchedCause.Deadline));
    }

    /// <summary>The rows of <paramref name="query"/> from <paramref name="skip"/>, newest first, personal data decrypted only for them and masked.</summary>
    private async Task<List<ApplicationRow>> RowsAsync(LoanHubDbContext db, IQueryable<LoanApplication> query, int skip, int take, CancellationToken cancellationToken)
    {
        var found = await query
            .OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id)
            .Skip(skip).Take(take)
            .Select(a => new
            {
                a.Id, a.ReceivedAt, a.SourceId, a.Status, a.UnmatchedCause,
                a.Applicant.FullName, a.Applicant.NationalId, a.Applicant.Phone, a.Applicant.RequestedAmount, a.Applicant.TermMonths,
            })
            .ToListAsync(cancellationToken);

        var ids = found.Select(a => a.Id).ToList();
        var scores = await db.Assessments.AsNoTracking().Where(x => ids.Contains(x.ApplicationId))
            .Select(x => new { x.ApplicationId, x.Score, x.Tier }).ToDictionaryAsync(x => x.ApplicationId, cancellationToken);
        var allocations = await db.Allocations.AsNoTracking().Where(x => ids.Contains(x.ApplicationId))
            .Select(x => new { x.ApplicationId, x.ProductId }).ToDictionaryAsync(x => x.ApplicationId, x => x.ProductId, cancellationToken);
        var products = await ProductCodesAsync(db, cancellationToken);
        var sources = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, cancellationToken);

        return [.. found.Select(a =>
        {
            var score = scores.GetValueOrDefault(a.Id);
            var product = allocations.TryGetValue(a.Id, out var productId) ? products.GetValueOrDefault(productId) : default;
            return new ApplicationRow(a.Id, a.ReceivedAt, sources.GetValueOrDefault(a.SourceId, "?"),
                PersonalDataMask.Name(a.FullName), PersonalDataMask.NationalId(a.NationalId), PersonalDataMask.Phone(a.Phone),
                a.RequestedAmount, a.TermMonths, score?.Score, score?.Tier, a.Status, product.Lender, product.Product,
                a.Status == ApplicationStatus.Unmatched ? a.UnmatchedCause ?? UnmatchedCause.NoEligibleProduct : null);
        })];
    }

    /// <summary>
    /// The exact count below the cap. Above it, how many rows are known to exist: past the cap, and through one row
    /// beyond this page when another page follows, so a pager working from it offers Next until a page comes back short.
    /// </summary>
    private static int PagerTotal(int counted, int page, int pageSize, int rowsOnPage, bool morePages)
    {
        if (counted <= CountCap) return counted;
        var seen = (long)page * pageSize + rowsOnPage + (morePages ? 1 : 0);
        return (int)Math.Min(int.MaxValue, Math.Max(CountCap + 1, seen));
    }

    private static (IdentitySearch.Kind Kind, string Value)? IdentityOf(ApplicationFilter filter)
    {
        if (string.IsNullOrWhiteSpace(filter.IdOrPhone)) return null;
        if (!IdentitySearch.TryParse(filter.IdOrPhone, out var kind, out var value, out var error)) throw new DomainException(error!);
        return (kind, value);
    }

    private async Task AuditLookUpAsync(LoanHubDbContext db, IdentitySearch.Kind kind, string value, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Identity?.Name is not { Length: > 0 } actor)
            throw new UnauthorizedAccessException("Searching by national ID or phone needs a signed-in user.");
        var (action, masked) = kind == IdentitySearch.Kind.Phone
            ? ("Searched by phone", PersonalDataMask.Phone(value))
            : ("Searched by national ID", PersonalDataMask.NationalId(value));
        new AuditTrail(db, actor, clock.GetUtcNow()).Record("Applications", action, nameof(LoanApplication), masked);
        await db.SaveChangesAsync(cancellationToken);
    }

    private IQueryable<LoanApplication> Filtered(LoanHubDbContext db, ApplicationFilter filter, (IdentitySearch.Kind Kind, string Value)? identity)
    {
        var query = db.Applications.AsNoTracking();
        if (filter.Status is { } status) query = query.Where(a => a.Status == status);
        if (filter.Source is { } source) query = query.Where(a => a.SourceId == source);
        if (filter.From is { } from)
        {
            var start = ChinaTime.StartOf(from);
            query = query.Where(a => a.ReceivedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = ChinaTime.StartOf(to.AddDays(1));
            query = query.Where(a => a.ReceivedAt < end);
        }
        if (identity is var (kind, value))
        {
            // Personal data is encrypted at rest: the exact value is found through its keyed hash, never in clear.
            var hash = personalData.LookupHash(value);
            query = kind == IdentitySearch.Kind.Phone ? query.Where(a => a.PhoneHash == hash) : query.Where(a => a.IdentityHash == hash);
        }
        if (filter.Tier is { } tier) query = query.Where(a => db.Assessments.Any(x => x.ApplicationId == a.Id && x.Tier == tier));
        if (filter.Lender is { } lender) query = query.Where(a => a.RoutedLenderId == lender);
        if (filter.Cause is { } cause)
            // No cause recorded counts as no eligible product (see UnmatchedByCauseAsync).
            query = cause == UnmatchedCause.NoEligibleProduct
                ? query.Where(a => a.Status == ApplicationStatus.Unmatched && (a.UnmatchedCause == null || a.UnmatchedCause == cause))
                : query.Where(a => a.Status == ApplicationStatus.Unmatched && a.UnmatchedCause == cause);
        return query;
    }

    private static async Task<Dictionary<ProductId, (string Lender, string Product)>> ProductCodesAsync(LoanHubDbContext db, CancellationToken cancellationToken) =>
        (await db.Products.AsNoTracking()
            .Join(db.Lenders.AsNoTracking(), p => p.LenderId, l => l.Id, (p, l) => new { p.Id, Lender = l.Code, Product = p.Code })
            .ToListAsync(cancellationToken))
        .ToDictionary(x => x.Id, x => (x.Lender, x.Product));

    public async Task<ApplicationDetail?> GetAsync(ApplicationId id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (application is null) return null;

        var source = await db.Sources.AsNoTracking().SingleAsync(s => s.Id == application.SourceId, cancellationToken);
        var assessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.ApplicationId == id, cancellationToken);
        var record = assessment is null ? null : DecisionRecord.FromJson(assessment.DecisionRecordJson);
        var review = await db.ReviewCases.AsNoTracking().SingleOrDefaultAsync(r => r.ApplicationId == id, cancellationToken);
        var allocation = await db.Allocations.AsNoTracking().SingleOrDefaultAsync(a => a.ApplicationId == id, cancellationToken);
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => o.ApplicationId == id).ToListAsync(cancellationToken);
        var ledger = await db.CommissionEntries.AsNoTracking().Where(e => e.ApplicationId == id).ToListAsync(cancellationToken);
        var attempts = await AttemptsAsync(db, id, cancellationToken);

        AllocationSummary? allocationSummary = null;
        if (allocation is not null)
        {
            var product = await db.Products.AsNoTracking().SingleAsync(p => p.Id == allocation.ProductId, cancellationToken);
            var lender = await db.Lenders.AsNoTracking().SingleAsync(l => l.Id == allocation.LenderId, cancellationToken);
            allocationSummary = new AllocationSummary(lender.Code, lender.Name, product.Code, product.Name, allocation.Strategy,
                allocation.AllocatedAt, allocation.ExpectedCommission, allocation.Status, allocation.FundedAmount, ledger.Sum(e => e.Amount),
                PulledByLender: allocation.DeliveryId is null);
            // A released review case is routed by a later draw than the intake record holds; the allocation keeps that draw.
            if (record is not null && JsonSerializer.Deserialize<AllocationResult>(allocation.CandidatesJson, EngineJson.Options) is { } drawn)
                record = record with { Allocation = drawn };
        }

        var applicant = application.Applicant;
        var reviewSummary = review is null ? null : new ReviewSummary(review.OpenedAt, review.Reasons, review.Status, review.ClaimedBy,
            review.ClaimedAt, review.DecidedBy, review.DecidedAt, review.Note, review.ClusterId);
        // Applications left unmatched before deliveries existed have no cause stored: no product was eligible.
        var cause = application.Status == ApplicationStatus.Unmatched ? application.UnmatchedCause ?? UnmatchedCause.NoEligibleProduct : (UnmatchedCause?)null;
        return new ApplicationDetail(
            application.Id, application.ExternalRef, source.Code, source.Name, application.ReceivedAt, application.Status, application.DecidedAt,
            PersonalDataMask.Name(applicant.FullName), PersonalDataMask.NationalId(applicant.NationalId), PersonalDataMask.Phone(applicant.Phone),
            Provinces.NameOf(applicant.ProvinceCode), applicant.City,
            applicant.KnownAgeOn(BusinessDay.Of(application.ReceivedAt)), application.PersonalDataErasedAt,
            applicant.Employment, applicant.MonthlyIncome, applicant.ExistingMonthlyDebt, applicant.RequestedAmount, applicant.TermMonths,
            applicant.Purpose, PersonalDataMask.DeviceId(applicant.DeviceId), PersonalDataMask.IpAddress(applicant.IpAddress), applicant.BureauScore, application.Consent,
            record, reviewSummary, allocationSummary,
            new DeliveryView(application.Status, cause, attempts, allocationSummary),
            ApplicationTimeline.Build(L, application, source.Name, assessment, record, review, allocationSummary, attempts, outcomes, ledger));
    }

    /// <summary>The application's delivery attempts in the order they were offered, with the lender and product codes.</summary>
    private static async Task<IReadOnlyList<DeliveryAttemptView>> AttemptsAsync(LoanHubDbContext db, ApplicationId id, CancellationToken cancellationToken)
    {
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => a.ApplicationId == id).OrderBy(a => a.Sequence).ToListAsync(cancellationToken);
        if (attempts.Count == 0) return [];
        var productIds = attempts.Select(a => a.ProductId).Distinct().ToList();
        var codes = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id))
            .Join(db.Lenders.AsNoTracking(), p => p.LenderId, l => l.Id, (p, l) => new { p.Id, Lender = l.Code, Product = p.Code })
            .ToDictionaryAsync(x => x.Id, cancellationToken);
        return [.. attempts.Select(a => DeliveryAttemptView.Of(a, codes[a.ProductId].Lender, codes[a.ProductId].Product))];
    }

    /// <summary>
    /// The full value of one personal field, for a user the <see cref="Policies.RevealPersonalData"/> policy admits;
    /// the reveal is written to the audit log before the value is returned. Anyone else is refused, whatever the page showed.
    /// </summary>
    public async Task<string> RevealAsync(ApplicationId id, PersonalField field, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var allowed = await authorization.AuthorizeAsync(user, Policies.RevealPersonalData);
        if (!allowed.Succeeded || user.Identity?.Name is not { Length: > 0 } actor)
            throw new UnauthorizedAccessException("You are not allowed to reveal personal data.");

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.Applications.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Applicant, a.PersonalDataErasedAt }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("The application no longer exists.");
        if (found.PersonalDataErasedAt is { } erasedAt)
            throw new DomainException($"This applicant's personal data was erased on {ChinaTime.Format(erasedAt, "yyyy-MM-dd")} under the retention policy; there is nothing to reveal.");
        var applicant = found.Applicant;
        new AuditTrail(db, actor, clock.GetUtcNow())
            .Record("Applications", "Personal data revealed", nameof(LoanApplication), id.ToString(), after: new { Field = field.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return field switch
        {
            PersonalField.Name => applicant.FullName,
            PersonalField.NationalId => applicant.NationalId,
            PersonalField.Phone => applicant.Phone,
            PersonalField.DeviceId => applicant.DeviceId,
            _ => applicant.IpAddress,
        };
    }
}
