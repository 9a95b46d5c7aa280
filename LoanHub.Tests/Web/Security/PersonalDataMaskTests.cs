using LoanHub.Web.Security;

namespace LoanHub.Tests.Web.Security;

/// <summary>A masked name keeps the family name (the first character) and shows one star for every other character.</summary>
public class PersonalDataMaskTests
{
    [Theory]
    [InlineData("王芳", "王*")]
    [InlineData("张伟明", "张**")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("  李娜 ", "李*")]
    [InlineData("Li", "L*")]
    [InlineData("Wei Zhang", "W********")]
    public void Name_keeps_the_first_character_and_stars_the_rest(string fullName, string masked)
    {
        Assert.Equal(masked, PersonalDataMask.Name(fullName));
    }

    [Fact]
    public void One_character_name_is_all_star_and_an_erased_one_says_so()
    {
        Assert.Equal("*", PersonalDataMask.Name("王"));
        Assert.Equal(PersonalDataMask.Erased, PersonalDataMask.Name(""));
    }

    [Theory]
    [InlineData("110101199003077777", "110101********7777")]
    [InlineData("11010119900307777", "*****************")] // not 18 characters: nothing shown
    [InlineData("", PersonalDataMask.Erased)]
    public void National_id_shows_its_region_and_last_four_only(string nationalId, string masked) =>
        Assert.Equal(masked, PersonalDataMask.NationalId(nationalId));

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("1381234567", "**********")]
    [InlineData("", PersonalDataMask.Erased)]
    public void Phone_shows_its_carrier_prefix_and_last_four_only(string phone, string masked) =>
        Assert.Equal(masked, PersonalDataMask.Phone(phone));
}
