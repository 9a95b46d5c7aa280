using System.Globalization;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Routing;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Risk;

/// <summary>
/// The risk policy's sentences made from figures and from what the service and the engine say in English (the keys of
/// <see cref="RiskStrings"/>); the store and the audit keep the English.
/// </summary>
public static class RiskText
{
    /// <summary>A sentence the service or the engine wrote in English, in the reader's language; one the resource does not know is shown as written.</summary>
    public static string Said(this IStringLocalizer<RiskStrings> L, string message) => L[message];

    public static string Said(this IStringLocalizer<RiskStrings> L, SaveResult result) => L[result.Message, [.. result.Arguments]];

    /// <summary>"Review below score: 560 → 580", the threshold and any word among its values translated.</summary>
    public static string Change(this IStringLocalizer<RiskStrings> L, ThresholdChange change) =>
        L["{0}: {1} → {2}", L[change.Threshold], L[change.Before], L[change.After]];

    /// <summary>A window of hours or days: "7 days", "1 hour".</summary>
    public static string Window(this IStringLocalizer<RiskStrings> L, TimeSpan window) => window.TotalDays >= 1
        ? window.TotalDays == 1 ? L["{0} day", 1] : L["{0} days", Number(window.TotalDays)]
        : window.TotalHours == 1 ? L["{0} hour", 1] : L["{0} hours", Number(window.TotalHours)];

    /// <summary>Every threshold of a version on one line, as the version list shows it.</summary>
    public static string Summary(this IStringLocalizer<RiskStrings> L, RiskPolicy p) =>
        L["reject < {0}, review < {1}, reject tier ≥ {2}; device {3}, phone {4}, IP {5}, ring {6}, look-back {7} d, amount {8}× income, blocklisted → {9}",
            p.Decision.RejectBelowScore, p.Decision.ReviewBelowScore, p.Decision.RejectFromTier, p.Fraud.DeviceSharedMinIdentities,
            p.Fraud.PhoneSharedMinIdentities, p.Fraud.IpVelocityMinApplications, p.Fraud.RingMinIdentities, Number(p.Fraud.DuplicateLookback.TotalDays),
            p.Fraud.MaxAmountToMonthlyIncome.ToString("0.##", CultureInfo.InvariantCulture), p.Fraud.BlocklistedToReview ? L["review"] : L["reject"]];

    /// <summary>The figures a saved version keeps of its backtest, as the version list shows them.</summary>
    public static string Summary(this IStringLocalizer<RiskStrings> L, BacktestSummary s) =>
        L["{0} applicants of {1} days, {2} moved: routed {3} → {4}, review {5} → {6}, rejected {7} → {8}",
            Count(s.Replayed), s.Days, Count(s.Moved), Count(s.RoutedBefore), Count(s.RoutedAfter), Count(s.ReviewBefore), Count(s.ReviewAfter),
            Count(s.RejectedBefore), Count(s.RejectedAfter)];

    public static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double n) => n.ToString("0.#", CultureInfo.InvariantCulture);
}
