using LoanHub.Core.Domain;
using LoanHub.Core.Identity;

namespace LoanHub.Tests.Core.Identity;

public class ResidentIdEdgeTests
{
    private static string Valid(string first17) => first17 + ResidentId.CheckCharacterOf(first17);

    [Fact]
    public void A_missing_number_is_refused_as_not_18_characters()
    {
        Assert.False(ResidentId.TryParse(null, out var id, out var error));
        Assert.Null(id);
        Assert.Equal("must be 18 characters", error);
    }

    [Fact]
    public void A_number_of_19_characters_is_refused()
    {
        Assert.False(ResidentId.TryParse(Valid("11010519491231002") + "1", out _, out var error));
        Assert.Equal("must be 18 characters", error);
    }

    [Fact]
    public void Births_before_1900_are_not_real_but_1900_is()
    {
        Assert.False(ResidentId.TryParse(Valid("11010518991231002"), out _, out var error));
        Assert.Equal("does not contain a real birth date", error);
        Assert.Equal(new DateOnly(1900, 1, 1), ResidentId.Parse(Valid("11010519000101002")).BirthDate);
    }

    [Fact]
    public void A_valid_number_parses_without_an_error()
    {
        Assert.True(ResidentId.TryParse(Valid("31010419900103004"), out var id, out var error));
        Assert.Null(error);
        Assert.Equal(Valid("31010419900103004"), id.Value);
    }

    [Fact]
    public void Parse_throws_the_reason_as_a_domain_exception()
    {
        var e = Assert.Throws<DomainException>(() => ResidentId.Parse("110105194912310021"));
        Assert.Equal("has a wrong check character", e.Message);
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("110105194912310021")]
    public void The_check_character_needs_exactly_17_digits(string digits) =>
        Assert.Throws<ArgumentException>(() => ResidentId.CheckCharacterOf(digits));

    [Fact]
    public void An_even_seventeenth_digit_is_female_and_an_odd_one_male()
    {
        Assert.Equal(Gender.Female, ResidentId.Parse(Valid("44010619900101002")).Gender);
        Assert.Equal(Gender.Male, ResidentId.Parse(Valid("44010619900101003")).Gender);
    }

    [Fact]
    public void The_masked_form_hides_the_birth_date_and_sequence()
    {
        var id = ResidentId.Parse("11010519491231002X");
        Assert.Equal("110105********002X", id.Masked);
        Assert.Equal("110105********002X", id.ToString());
    }

    [Theory]
    [InlineData("12345", "*****")]
    [InlineData("1101051949123100211", "*******************")]
    public void A_value_that_is_not_18_characters_is_masked_entirely(string value, string masked) =>
        Assert.Equal(masked, ResidentId.Mask(value));

    [Fact]
    public void Age_the_day_before_the_birthday_is_one_year_less()
    {
        var id = ResidentId.Parse(Valid("31010419900615004"));
        Assert.Equal(34, id.AgeOn(new DateOnly(2025, 6, 14)));
        Assert.Equal(35, id.AgeOn(new DateOnly(2025, 6, 15)));
        Assert.Equal(35, id.AgeOn(new DateOnly(2025, 12, 31)));
    }
}

public class MobileNumberEdgeTests
{
    [Fact]
    public void A_missing_number_is_not_valid() => Assert.False(MobileNumber.IsValid(null));

    [Theory]
    [InlineData("1380013800", "**********")]
    [InlineData("138001380001", "************")]
    public void A_number_that_is_not_11_digits_is_masked_entirely(string value, string masked) =>
        Assert.Equal(masked, MobileNumber.Mask(value));
}

public class ProvincesTests
{
    [Fact]
    public void A_known_code_names_its_province_and_an_unknown_code_names_itself()
    {
        Assert.True(Provinces.IsKnown("44"));
        Assert.Equal("Guangdong", Provinces.NameOf("44"));
        Assert.False(Provinces.IsKnown("99"));
        Assert.Equal("99", Provinces.NameOf("99"));
    }

    [Fact]
    public void All_34_province_level_divisions_are_known() => Assert.Equal(34, Provinces.All.Count);
}

public class ProvinceTableTests
{
    [Theory]
    [InlineData("11", "Beijing")]
    [InlineData("12", "Tianjin")]
    [InlineData("13", "Hebei")]
    [InlineData("14", "Shanxi")]
    [InlineData("15", "Inner Mongolia")]
    [InlineData("21", "Liaoning")]
    [InlineData("22", "Jilin")]
    [InlineData("23", "Heilongjiang")]
    [InlineData("31", "Shanghai")]
    [InlineData("32", "Jiangsu")]
    [InlineData("33", "Zhejiang")]
    [InlineData("34", "Anhui")]
    [InlineData("35", "Fujian")]
    [InlineData("36", "Jiangxi")]
    [InlineData("37", "Shandong")]
    [InlineData("41", "Henan")]
    [InlineData("42", "Hubei")]
    [InlineData("43", "Hunan")]
    [InlineData("44", "Guangdong")]
    [InlineData("45", "Guangxi")]
    [InlineData("46", "Hainan")]
    [InlineData("50", "Chongqing")]
    [InlineData("51", "Sichuan")]
    [InlineData("52", "Guizhou")]
    [InlineData("53", "Yunnan")]
    [InlineData("54", "Tibet")]
    [InlineData("61", "Shaanxi")]
    [InlineData("62", "Gansu")]
    [InlineData("63", "Qinghai")]
    [InlineData("64", "Ningxia")]
    [InlineData("65", "Xinjiang")]
    [InlineData("71", "Taiwan")]
    [InlineData("81", "Hong Kong")]
    [InlineData("82", "Macao")]
    public void Each_gb_t_2260_code_names_its_province(string code, string name)
    {
        Assert.True(Provinces.IsKnown(code));
        Assert.Equal(name, Provinces.NameOf(code));
    }
}
