using LoanHub.Web.Security;

namespace LoanHub.Tests.Web.Privacy;

public class DeviceAndIpMaskTests
{
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
