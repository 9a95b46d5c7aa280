using LoanHub.Core.Domain;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Reports;

/// <summary>
/// The words of a commission workbook in one language: sheet names, column headings, the total's label and the event
/// names. <see cref="English"/> is the workbook analysts' macros rely on, and its words are the resource keys, so the
/// English workbook stays exactly as it was; <see cref="In"/> gives the current UI language's.
/// </summary>
public sealed record WorkbookWords(
    string SummarySheet,
    string DetailSheet,
    IReadOnlyList<string> SummaryHeaders,
    IReadOnlyList<string> DetailHeaders,
    string Total,
    IReadOnlyDictionary<CommissionEvent, string> Events)
{
    public static WorkbookWords English { get; } = new(
        "Summary",
        "Detail",
        ["Lender", "Product", "Model", "Leads", "Approved", "Funded", "Funded amount", "Commission"],
        ["Date (CST)", "Lender", "Product", "Application id", "Source", "Event", "Funded amount", "Commission", "Reference"],
        "Total",
        Enum.GetValues<CommissionEvent>().ToDictionary(e => e, e => e.ToString()));

    /// <summary>The words in the current UI culture's language (English where it has no resource).</summary>
    public static WorkbookWords In(IStringLocalizer<ReportsStrings> text) => new(
        text[English.SummarySheet],
        text[English.DetailSheet],
        [.. English.SummaryHeaders.Select(h => text[h].Value)],
        [.. English.DetailHeaders.Select(h => text[h].Value)],
        text[English.Total],
        // "Approved" is also a heading (a count); an event's own key keeps the two meanings apart.
        English.Events.ToDictionary(e => e.Key, e => text["Commission event " + e.Value] is { ResourceNotFound: false } found ? found.Value : e.Value));
}
