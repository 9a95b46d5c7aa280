using LoanHub.Core.Identity;

namespace LoanHub.Web.Security;

/// <summary>How personal data appears on screen: enough to recognise, not enough to use.</summary>
public static class PersonalDataMask
{
    /// <summary>What shows where the retention policy erased a value.</summary>
    public const string Erased = "(erased)";

    /// <summary><c>王*</c>: the family name (first character) and one star per other character.</summary>
    public static string Name(string fullName)
    {
        var trimmed = fullName.Trim();
        if (trimmed.Length == 0) return Erased;
        return trimmed.Length <= 1 ? "*" : string.Concat(trimmed.AsSpan(0, 1), new string('*', trimmed.Length - 1));
    }

    public static string NationalId(string nationalId) => nationalId.Length == 0 ? Erased : ResidentId.Mask(nationalId);

    public static string Phone(string phone) => phone.Length == 0 ? Erased : MobileNumber.Mask(phone);
}
