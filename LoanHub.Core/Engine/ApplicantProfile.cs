using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// The attributes of an applicant the engine decides on, without name, ID number or phone: the
/// engine never needs to see who someone is, only what they look like as a borrower.
/// </summary>
/// <param name="BirthDate">From the resident ID; age is worked out against the decision day.</param>
/// <param name="ExistingMonthlyDebt">Zero when the applicant declared none.</param>
/// <param name="BureauScore">300–900, or null for a thin file (no bureau record).</param>
/// <param name="Purpose">What the money is for, matched against each product's purposes.</param>
public sealed record ApplicantProfile(
    DateOnly BirthDate,
    decimal MonthlyIncome,
    decimal ExistingMonthlyDebt,
    Employment Employment,
    decimal RequestedAmount,
    int TermMonths,
    string ProvinceCode,
    int? BureauScore,
    LoanPurpose Purpose = LoanPurpose.Other)
{
    public static ApplicantProfile From(Applicant applicant) => new(
        applicant.BirthDate,
        applicant.MonthlyIncome,
        applicant.ExistingMonthlyDebt ?? 0m,
        applicant.Employment,
        applicant.RequestedAmount,
        applicant.TermMonths,
        applicant.ProvinceCode,
        applicant.BureauScore,
        applicant.Purpose);

    /// <summary>Completed years of age on <paramref name="today"/>.</summary>
    public int AgeOn(DateOnly today)
    {
        var age = today.Year - BirthDate.Year;
        if (today < BirthDate.AddYears(age)) age--;
        return age;
    }

    /// <summary>
    /// Existing monthly debt service over monthly income. With no income any debt is unaffordable,
    /// so it takes the largest ratio rather than dividing by zero.
    /// </summary>
    [JsonIgnore]
    public decimal DebtToIncome =>
        ExistingMonthlyDebt <= 0m ? 0m
        : MonthlyIncome <= 0m ? decimal.MaxValue
        : ExistingMonthlyDebt / MonthlyIncome;

    /// <summary>Requested amount over annual income (12 × monthly); the largest ratio when there is no income.</summary>
    [JsonIgnore]
    public decimal LoanToIncome =>
        RequestedAmount <= 0m ? 0m
        : MonthlyIncome <= 0m ? decimal.MaxValue
        : RequestedAmount / (MonthlyIncome * 12m);
}
