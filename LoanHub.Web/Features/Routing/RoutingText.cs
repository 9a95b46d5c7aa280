using LoanHub.Core.Domain;
using LoanHub.Web.Features.Applications;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Routing;

/// <summary>
/// The words for what the routing services hand the page as data (strategies' effects, a proposal's changes, a save's
/// outcome, a simulation's summary). The English is the key of <see cref="RoutingStrings"/>; strategy names are the
/// applications' (<see cref="ApplicationText.Strategy"/>), so a strategy reads the same on every page.
/// </summary>
public static class RoutingText
{
    public static string StrategyHelp(this IStringLocalizer<RoutingStrings> L, RoutingStrategy strategy) => strategy switch
    {
        RoutingStrategy.Weighted => L["Split by weight (smooth round-robin)"],
        RoutingStrategy.Priority => L["Waterfall by priority, ties by weight"],
        RoutingStrategy.Auction => L["Ping-post: every lender bids at pre-check, highest price first (the what-if ranks by expected commission)"],
        _ => L["Highest expected commission × weight"],
    };

    /// <summary>"L1-CASH: weight 50 → 80", "Strategy Weighted → Priority": one line of the save dialog.</summary>
    public static string Change(this IStringLocalizer<RoutingStrings> L, IStringLocalizer<ApplicationsStrings> A, PolicyChange change) => change.Field switch
    {
        null => L["Strategy {0} → {1}", A.Strategy((RoutingStrategy)change.Before!), A.Strategy((RoutingStrategy)change.After!)],
        PolicyField.Weight => L["{0}: weight {1} → {2}", change.ProductCode!, change.Before!, change.After!],
        PolicyField.Priority => L["{0}: priority {1} → {2}", change.ProductCode!, change.Before!, change.After!],
        PolicyField.DailyCap => L["{0}: daily cap {1} → {2}", change.ProductCode!, Limit(L, change.Before), Limit(L, change.After)],
        _ => L["{0}: monthly budget {1} → {2}", change.ProductCode!, Budget(L, change.Before), Budget(L, change.After)],
    };

    private static string Limit(IStringLocalizer<RoutingStrings> L, object? value) => value is int cap ? cap.ToString("N0") : L["none"];

    private static string Budget(IStringLocalizer<RoutingStrings> L, object? value) => value is decimal amount ? ConsoleFormat.Money(amount) : L["none"];

    /// <summary>What the routing services said of a save or restore, in the reader's language.</summary>
    public static string Said(this IStringLocalizer<RoutingStrings> L, SaveResult result) =>
        result.Arguments.Count == 0 ? L[result.Message] : L[result.Message, [.. result.Arguments]];

    /// <summary>A stage of the what-if as <see cref="RoutingService"/> reports it ("Replaying").</summary>
    public static string Stage(this IStringLocalizer<RoutingStrings> L, SimulationProgress progress) => L[progress.Stage];

    public static string Days(this IStringLocalizer<RoutingStrings> L, int count) => count == 1 ? L["1 day"] : L["{0} days", count];

    /// <summary>The figures a version keeps of the simulation it was saved with, as the version list shows them.</summary>
    public static string Summary(this IStringLocalizer<RoutingStrings> L, SimulationSummary s) =>
        L["{0} applicants replayed: routed {1} → {2}, expected commission {3} → {4}", s.Replayed.ToString("N0"), s.ActualRouted.ToString("N0"),
            s.SimulatedRouted.ToString("N0"), ConsoleFormat.Money(s.ActualExpectedCommission), ConsoleFormat.Money(s.SimulatedExpectedCommission)];

    /// <summary>A share as the policy tables show it; a dash where there is none (a weight out of range, nothing routed).</summary>
    public static string Share(decimal? share) => share is { } value ? ConsoleFormat.Percent((double)value) : "—";
}
