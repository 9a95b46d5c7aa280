using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Core.Identity;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Applications;

/// <summary>
/// The words for an applicant's coded facts (status, employment, purpose, province, scored attributes), wherever the
/// console shows them. The English is the key of <see cref="ApplicationsStrings"/>; the engine and the store keep the codes.
/// </summary>
public static class ApplicationText
{
    /// <summary>
    /// A label as it reads inside an English sentence ("National ID" → "national ID", "IP address" as it is); Chinese
    /// has no case, so one resource entry serves the heading and the sentence.
    /// </summary>
    public static string InSentence(string label) =>
        label.Length > 1 && char.IsUpper(label[0]) && char.IsLower(label[1]) ? char.ToLowerInvariant(label[0]) + label[1..] : label;

    public static string Status(ApplicationStatus status) => status == ApplicationStatus.InReview ? "In review" : status.ToString();

    public static string Status(this IStringLocalizer<ApplicationsStrings> L, ApplicationStatus status) => L[Status(status)];

    /// <summary>The engine's decision as a word ("Route", "Review"), on the detail page and in the risk backtest.</summary>
    public static string Decision(this IStringLocalizer<ApplicationsStrings> L, Decision decision) => decision switch
    {
        Core.Domain.Decision.Route => L["Route"],
        Core.Domain.Decision.Review => L["Review"],
        Core.Domain.Decision.Reject => L["Reject"],
        _ => L["Duplicate"],
    };

    public static string Employment(Employment employment) => employment switch
    {
        Core.Domain.Employment.SelfEmployed => "Self-employed",
        Core.Domain.Employment.BusinessOwner => "Business owner",
        var other => other.ToString(),
    };

    public static string Employment(this IStringLocalizer<ApplicationsStrings> L, Employment employment) => L[Employment(employment)];

    public static string Purpose(LoanPurpose purpose) => purpose == LoanPurpose.CarPurchase ? "Car purchase" : purpose.ToString();

    public static string Purpose(this IStringLocalizer<ApplicationsStrings> L, LoanPurpose purpose) => L[Purpose(purpose)];

    /// <summary>A province by the English name <see cref="Provinces"/> gives it; a code it does not know is shown as it is.</summary>
    public static string Province(this IStringLocalizer<ApplicationsStrings> L, string englishName) =>
        Provinces.All.Values.Contains(englishName) ? L[englishName] : englishName;

    /// <summary>A routing strategy as words ("Weighted", "Expected value"), which are also the key.</summary>
    public static string Strategy(RoutingStrategy strategy) => strategy == RoutingStrategy.ExpectedValue ? "Expected value" : strategy.ToString();

    public static string Strategy(this IStringLocalizer<ApplicationsStrings> L, RoutingStrategy strategy) => L[Strategy(strategy)];

    public static string Attribute(ScoredAttribute attribute) => attribute switch
    {
        ScoredAttribute.MonthlyIncome => "Monthly income",
        ScoredAttribute.DebtToIncome => "Debt to income",
        ScoredAttribute.LoanToIncome => "Loan to income",
        ScoredAttribute.Bureau => "Bureau score",
        _ => attribute.ToString(),
    };

    public static string Attribute(this IStringLocalizer<ApplicationsStrings> L, ScoredAttribute attribute) => L[Attribute(attribute)];

    /// <summary>A scorecard reason in the reader's language: the engine words it in English, which is the key.</summary>
    public static string Reason(this IStringLocalizer<ApplicationsStrings> L, ReasonCode reason) => L[reason.Description];
}
