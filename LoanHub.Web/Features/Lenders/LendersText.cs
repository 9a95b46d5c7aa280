using LoanHub.Core.Domain;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Localization;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Lenders;

/// <summary>A lender or a traffic source: the two partners the catalog's shared dialogs and actions serve.</summary>
public enum PartnerKind { Lender, Source }

/// <summary>
/// The words for the catalog's codes (product types, commission models, answers of a test pre-check) and for the
/// sentences its services return. The English is the key of <see cref="LendersStrings"/>; the store keeps the codes.
/// </summary>
public static class LendersText
{
    public static string ProductType(ProductType type) => type switch
    {
        Core.Domain.ProductType.CashLoan => "Cash loan",
        Core.Domain.ProductType.CreditCard => "Credit card",
        Core.Domain.ProductType.CarLoan => "Car loan",
        Core.Domain.ProductType.BusinessLoan => "Business loan",
        var other => other.ToString(),
    };

    public static string ProductType(this IStringLocalizer<LendersStrings> L, ProductType type) => L[ProductType(type)];

    /// <summary>"CPL ¥30.00", "CPS 2%", "Bid ≥ ¥12.50": the contract as the product table shows it.</summary>
    public static string Commission(this IStringLocalizer<LendersStrings> L, CommissionContract contract) => contract.Model switch
    {
        Core.Domain.CommissionModel.CPS => L["CPS {0}", $"{contract.Rate * 100m:0.##}%"],
        Core.Domain.CommissionModel.Bid => L["Bid ≥ {0}", Localization.ConsoleFormat.Money(contract.MinPrice)],
        var model => $"{model} {Localization.ConsoleFormat.Money(contract.Amount)}",
    };

    /// <summary>A commission model as the product dialog offers it: its name and what it pays for.</summary>
    public static string CommissionModel(this IStringLocalizer<LendersStrings> L, CommissionModel model) => model switch
    {
        Core.Domain.CommissionModel.CPL => L["CPL — fixed amount per delivered lead"],
        Core.Domain.CommissionModel.CPA => L["CPA — fixed amount per approval"],
        Core.Domain.CommissionModel.CPS => L["CPS — share of the funded amount"],
        _ => L["Bid — the lender's pre-check price (Auction strategy)"],
    };

    public static string Answer(this IStringLocalizer<LendersStrings> L, AnswerKind kind) => kind switch
    {
        AnswerKind.Accepted => L["Accepted"],
        AnswerKind.Refused => L["Refused"],
        AnswerKind.Timeout => L["Timed out"],
        _ => L["Error"],
    };

    /// <summary>The partner as a sentence names it: "lender", "source".</summary>
    public static string Noun(this IStringLocalizer<LendersStrings> L, PartnerKind kind) => kind == PartnerKind.Lender ? L["lender"] : L["source"];

    /// <summary>
    /// A sentence a service or the domain wrote in English (a conflict, a rule a value breaks), in the reader's language
    /// where the resource has it; one it does not know is shown as it was written.
    /// </summary>
    public static string Said(this IStringLocalizer<LendersStrings> L, string message) => L[message];

    /// <summary>
    /// What is wrong with a delivery field ("The post URL points at an internal address (10.0.0.7); …"), in the reader's
    /// language: a URL's problem through <see cref="FieldProblemText"/>, which reads its values back; the rest by key.
    /// </summary>
    public static string FieldError(this IStringLocalizer<LendersStrings> L, IStringLocalizer<ConsoleStrings> T, string field, string message)
    {
        var label = DeliveryFields.LabelOf(field);
        return field is DeliveryFields.PrecheckUrl or DeliveryFields.PostUrl && message.StartsWith(label + " ", StringComparison.Ordinal) && message.EndsWith('.')
            ? L[label + " {0}.", FieldProblemText.Words(T, message[(label.Length + 1)..^1])]
            : L[message];
    }

    /// <summary>
    /// Why a configuration file was refused ("lenders[0] (L1) products[1] (L1-CASH): maxAmount: must be between 1 and
    /// 100,000,000"), in the reader's language: the entry and field as the file names them, the problem in words
    /// (<see cref="FieldProblemText"/>, or a domain rule's sentence by key). A message of another shape is shown as written.
    /// </summary>
    public static string ImportProblem(this IStringLocalizer<LendersStrings> L, IStringLocalizer<ConsoleStrings> T, string message)
    {
        if (L[message] is { ResourceNotFound: false } known) return known;
        const string NotJson = "The configuration file is not valid JSON: ";
        if (message.StartsWith(NotJson, StringComparison.Ordinal)) return L["The configuration file is not valid JSON: {0}", message[NotJson.Length..]];
        var parts = message.Split(": ");
        if (parts.Length < 2) return message;
        var problem = parts[^1];
        var words = FieldProblemText.Words(T, problem);
        if (words == problem && L[problem] is { ResourceNotFound: false } sentence) words = sentence;
        return parts[..^1].Append(words).Aggregate((named, next) => L["{0}: {1}", named, next]);
    }

    /// <summary>A service's message about a change, in the reader's language (see <see cref="Said(IStringLocalizer{LendersStrings}, string)"/>).</summary>
    public static string Said(this IStringLocalizer<LendersStrings> L, CatalogResult result) =>
        result.Message is not { } message ? L["The change was not saved."]
        : result.Arguments.Count == 0 ? L[message]
        : L[message, [.. result.Arguments]];
}
