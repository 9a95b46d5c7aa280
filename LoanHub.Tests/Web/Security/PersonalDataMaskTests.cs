using LoanHub.Web.Security;

namespace LoanHub.Tests.Web.Security;

/// <summary>How personal data shows on screen: a name keeps its family name, IDs, phones and devices their ends, an address its network.</summary>
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

    [Theory]
    [InlineData("device-4f1c2b9e8d7a6f50", "****6f50")]
    [InlineData("dev-1234", "********")] // too short to show any of it
    [InlineData("d1", "********")]
    [InlineData("", PersonalDataMask.Erased)]
    public void Device_id_shows_only_its_last_four_characters(string deviceId, string masked) =>
        Assert.Equal(masked, PersonalDataMask.DeviceId(deviceId));

    [Theory]
    [InlineData("223.104.17.250", "223.104.*.*")]
    [InlineData("2408:8207:1851:cc0::1", "2408:8207:*")]
    [InlineData("::ffff:223.104.17.250", "223.104.*.*")]
    [InlineData("not-an-ip", "*********")]
    [InlineData("", PersonalDataMask.Erased)]
    public void Ip_address_shows_only_its_network(string ip, string masked) =>
        Assert.Equal(masked, PersonalDataMask.IpAddress(ip));
}
