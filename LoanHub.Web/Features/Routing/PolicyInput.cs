using System.Globalization;

namespace LoanHub.Web.Features.Routing;

/// <summary>The numbers of a product that the routing grid edits.</summary>
public enum PolicyField { Weight, Priority, DailyCap, MonthlyBudget }

/// <summary>
/// Reads what is typed into the routing grid. A number input of the component library clamps what is out
/// of its range and turns what it cannot read into 0 or "no limit" (−5 became a daily cap of 0); here
/// text that is not a number the field can hold is kept as typed and refused with a reason instead.
/// </summary>
public static class PolicyInput
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string NotANumber = "Enter a number";
    public const string NotWhole = "Enter a whole number";

    public static bool IsOptional(PolicyField field) => field is PolicyField.DailyCap or PolicyField.MonthlyBudget;

    /// <summary>The value as the grid shows it, with thousands separators; empty for no limit.</summary>
    public static string Show(ProductSetting setting, PolicyField field) => field switch
    {
        PolicyField.Weight => setting.Weight.ToString("#,##0", Invariant),
        PolicyField.Priority => setting.Priority.ToString("#,##0", Invariant),
        PolicyField.DailyCap => setting.DailyCap?.ToString("#,##0", Invariant) ?? "",
        // Every decimal place it has: 10.005 shown as 10.01 would hide why it is refused.
        _ => setting.MonthlyBudget?.ToString("#,##0.############################", Invariant) ?? "",
    };

    /// <summary>What is wrong with the field's current value; null when routing may use it.</summary>
    public static string? Problem(ProductSetting setting, PolicyField field) => field switch
    {
        PolicyField.Weight => setting.WeightError,
        PolicyField.Priority => setting.PriorityError,
        PolicyField.DailyCap => setting.DailyCapError,
        _ => setting.MonthlyBudgetError,
    };

    /// <summary>
    /// The setting with the typed value, and what is wrong with it; no setting when the text is not a
    /// number the field can hold at all.
    /// </summary>
    public static (ProductSetting? Updated, string? Problem) Read(ProductSetting setting, PolicyField field, string? text)
    {
        // A typographic minus (−5) is what a person pasting from a document or chat types.
        var typed = (text ?? "").Trim().Replace('\u2212', '-');
        if (typed.Length == 0)
            return IsOptional(field) ? With(setting, field, null) : (null, NotANumber);
        if (!decimal.TryParse(typed, NumberStyles.Number, Invariant, out var number)) return (null, NotANumber);
        if (field != PolicyField.MonthlyBudget && (number != decimal.Truncate(number) || number is < int.MinValue or > int.MaxValue))
            return (null, NotWhole);
        return With(setting, field, number);
    }

    private static (ProductSetting, string?) With(ProductSetting setting, PolicyField field, decimal? number)
    {
        var updated = field switch
        {
            PolicyField.Weight => setting with { Weight = (int)number!.Value },
            PolicyField.Priority => setting with { Priority = (int)number!.Value },
            PolicyField.DailyCap => setting with { DailyCap = (int?)number },
            _ => setting with { MonthlyBudget = number },
        };
        return (updated, Problem(updated, field));
    }
}
