using System.Globalization;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Alerts;

/// <summary>
/// An alert in words: its rule's name, what it says happened, where it is handled. One home for the console's list,
/// the app bar and the robots' messages, so a group reads what the console shows.
/// </summary>
public static class AlertText
{
    public static string Title(IStringLocalizer L, AlertKind kind) => kind switch
    {
        AlertKind.DailyCapReached => L["Daily cap reached"],
        AlertKind.BudgetNearlySpent => L["Budget nearly spent"],
        AlertKind.LenderAutoPaused => L["Lender paused automatically"],
        AlertKind.NoOutcomes => L["No outcomes reported"],
        AlertKind.SourceFraudRate => L["Source fraud rate high"],
        AlertKind.ReviewSla => L["Review queue past its SLA"],
        _ => L["Delivery errors spiking"],
    };

    /// <summary>What the rule watches, for the rules table.</summary>
    public static string Watches(IStringLocalizer L, AlertKind kind) => kind switch
    {
        AlertKind.DailyCapReached => L["A product took as many leads today as its daily cap allows."],
        AlertKind.BudgetNearlySpent => L["A product committed this share of its monthly budget."],
        AlertKind.LenderAutoPaused => L["The system paused a lender whose endpoint kept failing."],
        AlertKind.NoOutcomes => L["A lender with leads to report on reported no outcome for this many days."],
        AlertKind.SourceFraudRate => L["This share of a source's applicants in the last hour raised fraud signals (at least {0} applicants).", AlertDefaults.MinApplicantsForFraudRate],
        AlertKind.ReviewSla => L["The oldest case in the review queue has waited this many hours."],
        _ => L["This share of a lender's deliveries failed or timed out over the health window (at least {0} attempts).", AlertDefaults.MinAttemptsForErrorRate],
    };

    public static string Message(IStringLocalizer L, Alert alert, int healthWindowMinutes) => alert.Kind switch
    {
        AlertKind.DailyCapReached => L["{0} reached its daily cap: {1} of {2} leads today.", Subject(alert), Whole(alert.Figure), Whole(alert.Limit)],
        AlertKind.BudgetNearlySpent => L["{0} has committed {1} of its monthly budget (alert at {2}).", Subject(alert), Percent(alert.Figure), Percent(alert.Limit)],
        AlertKind.LenderAutoPaused => L["{0} was paused automatically: its endpoint kept failing.", Subject(alert)],
        AlertKind.NoOutcomes => L["{0} has reported no outcome for {1} days (alert after {2}).", Subject(alert), Number(alert.Figure), Number(alert.Limit)],
        AlertKind.SourceFraudRate => L["{0}: {1} of the last hour's applicants raised fraud signals (alert at {2}).", Subject(alert), Percent(alert.Figure), Percent(alert.Limit)],
        AlertKind.ReviewSla => L["The oldest case in the review queue has waited {0} hours (SLA {1} hours).", Number(alert.Figure), Number(alert.Limit)],
        _ => L["{0}: {1} of deliveries failed or timed out in the last {2} minutes (alert at {3}).", Subject(alert), Percent(alert.Figure), healthWindowMinutes, Percent(alert.Limit)],
    };

    /// <summary>The console page where the alert is handled, relative to the app's base.</summary>
    public static string Link(AlertKind kind) => kind switch
    {
        AlertKind.DailyCapReached or AlertKind.BudgetNearlySpent => "routing",
        AlertKind.SourceFraudRate => "sources",
        AlertKind.ReviewSla => "review",
        _ => "lenders",
    };

    /// <summary>A rule's threshold with its unit: a percentage as the console writes one (90%), days and hours after a space (3 天, 4 hours).</summary>
    public static string Threshold(IStringLocalizer L, ThresholdUnit unit, decimal? threshold) =>
        unit == ThresholdUnit.None || threshold is not { } value ? "—"
        : value.ToString("0.##", CultureInfo.InvariantCulture) + (unit == ThresholdUnit.Percent ? "%" : " " + Unit(L, unit));

    public static string Unit(IStringLocalizer L, ThresholdUnit unit) => unit switch
    {
        ThresholdUnit.Percent => "%",
        ThresholdUnit.Days => L["days"],
        ThresholdUnit.Hours => L["hours"],
        _ => "",
    };

    public static string Channel(IStringLocalizer L, AlertChannel channel) => channel switch
    {
        AlertChannel.WeCom => L["WeCom group robot"],
        AlertChannel.DingTalk => L["DingTalk group robot"],
        _ => L["Console only"],
    };

    private static string Subject(Alert alert) =>
        string.IsNullOrEmpty(alert.SubjectName) || alert.SubjectName == alert.Subject ? alert.Subject : $"{alert.SubjectName} ({alert.Subject})";

    private static string Percent(decimal percent) => ConsoleFormat.Percent((double)percent / 100);

    private static string Whole(decimal value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
