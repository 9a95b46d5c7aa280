using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Identity;

/// <summary>
/// An 18-character mainland China resident identity number (GB 11643-1999): a 6-digit region code,
/// the birth date <c>YYYYMMDD</c>, a 3-digit sequence whose last digit is odd for men, and an
/// ISO 7064 MOD 11-2 check character.
/// </summary>
public sealed record ResidentId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public string Value { get; }
    public DateOnly BirthDate { get; }
    public Gender Gender => (Value[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female;
    public string RegionCode => Value[..6];
    public string ProvinceCode => Value[..2];

    private ResidentId(string value, DateOnly birthDate)
    {
        Value = value;
        BirthDate = birthDate;
    }

    public static ResidentId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new DomainException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ResidentId? id, [NotNullWhen(false)] out string? error)
    {
        id = null;
        if (text is null || text.Length != 18)
        {
            error = "must be 18 characters";
            return false;
        }
        var value = text.ToUpperInvariant();
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = "the first 17 characters must be digits";
                return false;
            }
        }
        if (!Provinces.IsKnown(value[..2]))
        {
            error = "does not start with a known province code";
            return false;
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900)
        {
            error = "does not contain a real birth date";
            return false;
        }
        if (value[17] != CheckCharacterOf(value.AsSpan(0, 17)))
        {
            error = "has a wrong check character";
            return false;
        }
        id = new ResidentId(value, birth);
        error = null;
        return true;
    }

    /// <summary>The GB 11643 check character for the first 17 digits.</summary>
    public static char CheckCharacterOf(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("Needs exactly 17 digits.", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>Completed years of age on <paramref name="today"/>.</summary>
    public int AgeOn(DateOnly today)
    {
        var age = today.Year - BirthDate.Year;
        if (today < BirthDate.AddYears(age)) age--;
        return age;
    }

    /// <summary><c>110101********4514</c>: region and last four, the rest hidden.</summary>
    public string Masked => Mask(Value);

    public static string Mask(string value) =>
        value.Length == 18 ? string.Concat(value.AsSpan(0, 6), "********", value.AsSpan(14, 4)) : new string('*', value.Length);

    public override string ToString() => Masked;
}
