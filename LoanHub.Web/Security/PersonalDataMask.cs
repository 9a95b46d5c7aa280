using System.Net;
using System.Net.Sockets;
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

    /// <summary><c>****a1b2</c>: the last four characters (not the length), and nothing of a short ID.</summary>
    public static string DeviceId(string deviceId)
    {
        if (deviceId.Length == 0) return Erased;
        return deviceId.Length <= 8 ? "********" : string.Concat("****", deviceId.AsSpan(deviceId.Length - 4));
    }

    /// <summary><c>223.104.*.*</c>, <c>2408:8207:*</c>: the network the address belongs to, not the address.</summary>
    public static string IpAddress(string ipAddress)
    {
        if (ipAddress.Length == 0) return Erased;
        if (!IPAddress.TryParse(ipAddress, out var ip)) return new string('*', ipAddress.Length);
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = ip.GetAddressBytes();
            return $"{bytes[0]}.{bytes[1]}.*.*";
        }
        var groups = ip.GetAddressBytes();
        return $"{groups[0] << 8 | groups[1]:x}:{groups[2] << 8 | groups[3]:x}:*";
    }
}
