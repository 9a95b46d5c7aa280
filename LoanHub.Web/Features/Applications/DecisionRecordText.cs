using System.Globalization;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Core.Identity;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

/// <summary>One candidate of an allocation as the detail page lists it.</summary>
/// <param name="Share">Its share of leads like this one (Weighted, Priority) or its expected value (ExpectedValue); "–" when it sits out.</param>
/// <param name="Note">Why it sits out, when it does.</param>
public sealed record AllocationLine(string LenderCode, string ProductCode, int Weight, string Share, decimal ExpectedCommission, bool IsWinner, string? Note);

/// <param name="Summary">How the strategy picks, in one sentence, and who took this lead.</param>
/// <param name="ShareHeader">What the share column holds under this strategy.</param>
public sealed record AllocationTable(string Summary, string ShareHeader, IReadOnlyList<AllocationLine> Lines);

/// <summary>
/// Puts the engine's decision record into words for the detail page. The record keeps what the engine
/// computed (province codes, round-robin state); this is presentation only and never feeds back into it. Everything
/// is in the language of the localizer it is given: the sentences it makes itself, and the engine's own (why a product
/// is ineligible, how an auction ran), which are stored in English and put into words by <see cref="EngineSentences"/>.
/// </summary>
public static class DecisionRecordText
{
    /// <summary>One reason a product turned the applicant down, in the reader's language, the province named rather than coded.</summary>
    public static string WhyNot(IStringLocalizer<ApplicationsStrings> L, IneligibilityReason reason) => EngineSentences.Words(L, reason.Detail);

    /// <summary>
    /// The candidates with their weight and share, and a sentence on how the winner was picked. The round-robin's
    /// running weights are left out: they say where the rotation stands, not what a product gets.
    /// </summary>
    public static AllocationTable Allocation(IStringLocalizer<ApplicationsStrings> L, AllocationResult drawn, RoutingStrategy? strategy)
    {
        var playing = drawn.Candidates.Where(c => c.Weight > 0).ToList();
        var level = playing.Count == 0 ? 0 : playing.Min(c => c.Priority);
        var sharing = strategy == RoutingStrategy.Priority ? playing.Where(c => c.Priority == level).ToList() : playing;
        var totalWeight = sharing.Sum(c => c.Weight);

        string ShareOf(CandidateScore candidate) => strategy switch
        {
            RoutingStrategy.ExpectedValue when candidate.Weight > 0 => ConsoleFormat.Money(candidate.ExpectedCommission * candidate.Weight / 100m),
            RoutingStrategy.ExpectedValue => "–",
            RoutingStrategy.Auction when candidate.Weight > 0 => ConsoleFormat.Money(candidate.ExpectedCommission),
            RoutingStrategy.Auction => "–",
            _ when totalWeight > 0 && sharing.Contains(candidate) => Percent((decimal)candidate.Weight / totalWeight),
            _ => "–",
        };

        var lines = drawn.Candidates
            .Select(c => new AllocationLine(c.LenderCode, c.ProductCode, c.Weight, ShareOf(c), c.ExpectedCommission,
                drawn.Winner?.ProductId == c.ProductId, c.Note is null ? null : EngineSentences.Words(L, c.Note)))
            .ToList();
        var header = strategy switch
        {
            RoutingStrategy.ExpectedValue => L["Expected value"],
            RoutingStrategy.Auction => L["Bid"],
            _ => L["Share of leads"],
        };
        return new AllocationTable(Summary(L, drawn, strategy, level, sharing.Count), header, lines);
    }

    private static string Summary(IStringLocalizer<ApplicationsStrings> L, AllocationResult drawn, RoutingStrategy? strategy, int level, int sharing)
    {
        if (drawn.Winner is not { } winner) return EngineSentences.Words(L, drawn.HowDrawn);
        var wentTo = L["This lead went to {0} · {1} ({2}, {3}).", winner.LenderCode, winner.ProductCode, winner.LenderName, winner.ProductName];
        var how = strategy switch
        {
            RoutingStrategy.Priority when sharing > 1 =>
                L["Waterfall: priority {0} is the first level with an eligible product, and its {1} products share its leads by weight.", level, sharing],
            RoutingStrategy.Priority => L["Waterfall: the first priority level with an eligible product takes the lead."],
            RoutingStrategy.ExpectedValue => L["Highest expected value wins: expected commission × weight ÷ 100."],
            RoutingStrategy.Auction => EngineSentences.Words(L, drawn.HowDrawn),
            _ => L["Weighted rotation: each product takes a share of leads in proportion to its weight."],
        };
        return $"{how} {wentTo}";
    }

    private static string Percent(decimal share) => (share * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
