using System.Security.Cryptography;
using System.Text;

namespace LoanHub.Web.Security;

/// <summary>
/// API keys are long random secrets, so an unsalted SHA-256 is enough to make the stored value useless
/// to a reader of the database while still allowing a direct indexed look-up by hash.
/// </summary>
public static class ApiKeys
{
    public static string Hash(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    public static string Generate() => "lh_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
