using System.Globalization;
using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Learning;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Routing;

/// <summary>
/// Weights the optimiser proposes for the active policy, as a proposal the routing page can simulate and save like any
/// other change, with what the model expects of today's weights and of the suggested ones over the window.
/// </summary>
/// <param name="Applicants">The routed applicants of the window whose mix the suggestion rests on.</param>
public sealed record RoutingSuggestion(
    SuggestionObjective Objective,
    int BaseVersion,
    RoutingProposal Proposal,
    IReadOnlyList<SuggestedWeight> Weights,
    WeightForecast Current,
    WeightForecast Suggested,
    bool Differs,
    int Applicants,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd);

/// <summary>
/// A suggestion, or why there is none (<see cref="Forbidden"/> when the user may not read routing): <see cref="Reason"/> is
/// English with composite placeholders for <see cref="Arguments"/>, which the page words in its language.
/// </summary>
public sealed record SuggestionOutcome(RoutingSuggestion? Suggestion, string? Reason, bool Forbidden = false)
{
    public IReadOnlyList<object> Arguments { get; init; } = [];

    /// <summary>Why there is no suggestion, in English, as the JSON API gives it.</summary>
    public string? Unavailable => Reason is null ? null : string.Format(CultureInfo.InvariantCulture, Reason, [.. Arguments]);

    public static SuggestionOutcome None(string reason, params object[] arguments) => new(null, reason) { Arguments = arguments };
}

/// <summary>
/// Builds the weight optimiser's inputs from the store and the learned rates, and returns its suggestion for the active
/// routing policy. The mix of applicants is the leanest the model needs: the applicants routed in the last
/// <see cref="RoutingService.DefaultWindowDays"/> days (those the what-if replays), grouped by risk tier and by the set of
/// today's products whose criteria let them in (caps and budgets aside: the optimiser models those), with their count
/// and the amount they asked for. Suggesting changes nothing: saving is <see cref="RoutingPolicyService"/>'s.
/// </summary>
public sealed class WeightSuggestionService(
    IDbContextFactory<LoanHubDbContext> contexts,
    RoutingService routing,
    LearnedRatesBoard learned,
    LearningOptions options,
    IAuthorizationService authorization,
    TimeProvider clock)
{
    public const int WindowDays = RoutingService.DefaultWindowDays;

    public async Task<SuggestionOutcome> SuggestAsync(SuggestionObjective objective, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (!(await authorization.AuthorizeAsync(user, Policies.RoutingRead)).Succeeded) return new SuggestionOutcome(null, Text.Forbidden, Forbidden: true);
        var view = await routing.LoadAsync(cancellationToken);
        if (view.Strategy != RoutingStrategy.Weighted) return SuggestionOutcome.None(Text.NotWeighted, view.ActiveVersion, view.Strategy);
        if (view.Products.Count == 0) return SuggestionOutcome.None(Text.NoProducts);

        var end = clock.GetUtcNow();
        var start = RoutingService.WindowStart(WindowDays, end);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().Include(l => l.Products).ToListAsync(cancellationToken);
        var catalog = lenders.SelectMany(l => l.Products.Select(p => (Lender: l, Product: p))).ToDictionary(x => x.Product.Id);
        var groups = await GroupsAsync(db, [.. catalog.Values.Select(x => ProductSnapshot.Of(x.Lender, x.Product) with { Limits = ProductLimits.Unlimited })],
            start, end, cancellationToken);
        if (groups.Count == 0) return SuggestionOutcome.None(Text.NoApplicants, WindowDays);

        var rates = learned.Current;
        if (!groups.Any(g => g.Eligible.Any(p => rates.For(p, g.Tier) is { ProductId: not null, TooFewToTrust: false })))
            return SuggestionOutcome.None(Text.TooFewOutcomes, rates.Priors.MinOutcomes);

        var products = view.Products.Where(s => catalog.ContainsKey(s.ProductId)).Select(s => new SuggestionProduct(s.ProductId, s.LenderCode, s.ProductCode,
            catalog[s.ProductId].Product.Commission, s.Weight, s.DailyCap, s.MonthlyBudget, catalog[s.ProductId].Product.Apr, s.Active)).ToList();
        // CPU work: off the caller's thread, so a page stays responsive while it runs.
        var suggestion = await Task.Run(() => WeightOptimiser.Suggest(new SuggestionInput(products, groups, WindowDays, rates, options.MinimumShare), objective),
            cancellationToken);
        var proposal = suggestion.Weights.Aggregate(view.Current, (p, w) => p.WithWeight(w.ProductId, w.Suggested));
        // In the page's order (lender, product), which is the proposal's.
        var order = view.Products.Select((p, i) => (p.ProductId, i)).ToDictionary(x => x.ProductId, x => x.i);
        return new SuggestionOutcome(new RoutingSuggestion(objective, view.ActiveVersion, proposal, [.. suggestion.Weights.OrderBy(w => order[w.ProductId])],
            suggestion.Current, suggestion.Suggested, suggestion.Differs, groups.Sum(g => g.Applicants), start, end), null);
    }

    /// <summary>
    /// The routed applicants of [<paramref name="start"/>, <paramref name="end"/>) grouped by tier and the products whose criteria
    /// take them. Applicants decided before assessments kept the applicant's age are left out: reading it means decrypting
    /// their resident ID, which a suggestion does not need.
    /// </summary>
    private static async Task<List<ApplicantGroup>> GroupsAsync(LoanHubDbContext db, IReadOnlyList<ProductSnapshot> products, DateTimeOffset start,
        DateTimeOffset end, CancellationToken cancellationToken)
    {
        var applicants = await (from application in db.Applications.AsNoTracking()
                                join assessment in db.Assessments.AsNoTracking() on application.Id equals assessment.ApplicationId
                                where application.ReceivedAt >= start && application.ReceivedAt < end && assessment.Decision == Decision.Route
                                      && assessment.ApplicantAge != null
                                select new
                                {
                                    application.ReceivedAt, Age = assessment.ApplicantAge!.Value, application.Applicant.MonthlyIncome,
                                    application.Applicant.ExistingMonthlyDebt, application.Applicant.Employment, application.Applicant.RequestedAmount,
                                    application.Applicant.TermMonths, application.Applicant.ProvinceCode, application.Applicant.BureauScore,
                                    application.Applicant.Purpose, assessment.Score, assessment.Tier,
                                })
            .ToListAsync(cancellationToken);
        return [.. applicants
            .Select(a =>
            {
                var day = BusinessDay.Of(a.ReceivedAt);
                var profile = new ApplicantProfile(day.AddYears(-a.Age), a.MonthlyIncome, a.ExistingMonthlyDebt ?? 0m, a.Employment, a.RequestedAmount,
                    a.TermMonths, a.ProvinceCode, a.BureauScore, a.Purpose);
                var eligible = products.Where(p => Eligibility.Check(profile, a.Score, a.Tier, p, ProductUsage.None, day).IsEligible)
                    .Select(p => p.ProductId).OrderBy(id => id.Value).ToList();
                return (a.Tier, Eligible: eligible, a.RequestedAmount);
            })
            .Where(a => a.Eligible.Count > 0)
            .GroupBy(a => (a.Tier, Key: string.Join(',', a.Eligible)))
            .Select(g => new ApplicantGroup(g.Key.Tier, g.First().Eligible, g.Count(), g.Sum(a => a.RequestedAmount)))];
    }

    /// <summary>Every reason the view and the JSON give for having no suggestion, in one place.</summary>
    public static class Text
    {
        public const string Forbidden = "Weight suggestions are for admins, operations managers and analysts.";
        public const string NoProducts = "No lender products yet: there is nothing to weigh.";
        public const string NoApplicants =
            "No routed applicant in the last {0} days took any of today's products: there is no mix of applicants to weigh.";

        public const string NotWeighted = "Suggestions are weights for the Weighted strategy; version {0} routes by {1}.";

        public const string TooFewOutcomes =
            "Not enough outcomes to suggest: no product has {0} decided outcomes for the tiers of recent applicants, so every rate is still its prior.";
    }
}
