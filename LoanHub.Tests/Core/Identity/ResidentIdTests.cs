using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Identity;

namespace LoanHub.Tests.Core.Identity;

public class ResidentIdTests
{
    // A published GB 11643 example: 11010519491231002X.
    [Fact]
    public void Standard_example_with_X_check_character_is_valid()
    {
        var id = ResidentId.Parse("11010519491231002X");
        Assert.Equal(new DateOnly(1949, 12, 31), id.BirthDate);
        Assert.Equal(Gender.Female, id.Gender);
        Assert.Equal("11", id.ProvinceCode);
        Assert.Equal("110105", id.RegionCode);
    }

    [Fact]
    public void Lower_case_x_is_accepted_and_normalised()
    {
        Assert.Equal("11010519491231002X", ResidentId.Parse("11010519491231002x").Value);
    }

    [Theory]
    [InlineData("110105194912310021", "wrong check character")]
    [InlineData("11010519491231002", "18 characters")]
    [InlineData("1101051949123100AX", "digits")]
    [InlineData("110105194902300028", "birth date")] // 30 February
    [InlineData("990105194912310028", "province")]
    public void Invalid_numbers_are_refused_with_a_reason(string value, string reasonFragment)
    {
        Assert.False(ResidentId.TryParse(value, out _, out var error));
        Assert.Contains(reasonFragment, error);
    }

    [Fact]
    public void Odd_seventeenth_digit_is_male()
    {
        var first17 = "44010619900101001";
        var id = ResidentId.Parse(first17 + ResidentId.CheckCharacterOf(first17));
        Assert.Equal(Gender.Male, id.Gender);
    }

    [Theory]
    [InlineData("2008-01-02", 17)]
    [InlineData("2008-01-03", 18)]
    [InlineData("2026-11-23", 36)]
    public void Age_counts_completed_years(string today, int expected)
    {
        var first17 = "31010419900103004";
        var id = ResidentId.Parse(first17 + ResidentId.CheckCharacterOf(first17));
        Assert.Equal(expected, id.AgeOn(DateOnly.Parse(today)));
    }

    [Fact]
    public void Mask_keeps_region_and_last_four()
    {
        Assert.Equal("110101********4514", ResidentId.Mask("110101199003074514"));
    }

    [Property]
    public Property Any_single_digit_change_breaks_the_check_character()
    {
        var digits = Gen.Choose(0, 9);
        var cases = from position in Gen.Choose(0, 16)
                    from delta in Gen.Choose(1, 9)
                    from tail in Gen.ArrayOf(digits, 3)
                    select (position, delta, tail);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var first17 = "3101041990010" + "3" + string.Concat(c.tail);
            var valid = first17 + ResidentId.CheckCharacterOf(first17);
            var chars = valid.ToCharArray();
            chars[c.position] = (char)('0' + (chars[c.position] - '0' + c.delta) % 10);
            var tampered = new string(chars);
            // MOD 11-2 detects every single-digit substitution.
            return tampered[17] != ResidentId.CheckCharacterOf(tampered.AsSpan(0, 17));
        });
    }
}

public class MobileNumberTests
{
    [Theory]
    [InlineData("13800138000", true)]
    [InlineData("19912345678", true)]
    [InlineData("12800138000", false)]
    [InlineData("1380013800", false)]
    [InlineData("138001380001", false)]
    [InlineData("+8613800138000", false)]
    public void Mainland_mobile_numbers_match_the_pattern(string value, bool valid)
    {
        Assert.Equal(valid, MobileNumber.IsValid(value));
    }

    [Fact]
    public void Mask_keeps_prefix_and_last_four()
    {
        Assert.Equal("138****8000", MobileNumber.Mask("13800138000"));
    }
}
