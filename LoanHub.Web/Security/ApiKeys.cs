using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

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

/// <summary>
/// The partners one kind of API key belongs to: traffic sources (intake) or lenders (postbacks, leads).
/// <see cref="ApiRateLimits"/> admits a call with it: it authenticates, and picks the rate-limit bucket.
/// </summary>
public interface IApiKeyOwners<TId> where TId : struct
{
    /// <summary>"source" or "lender": names the rate-limit bucket and the refusal.</summary>
    string Owner { get; }

    /// <summary>The partner <paramref name="apiKey"/> opens the API for now, or null.</summary>
    Task<TId?> FindAsync(string apiKey, CancellationToken cancellationToken);

    /// <summary>The hash of every key <see cref="FindAsync"/> would accept now, with its partner.</summary>
    Task<IReadOnlyList<KeyValuePair<string, TId>>> AllAsync(CancellationToken cancellationToken);
}

/// <summary>The partner an admitted API call was made by; handlers read it with <see cref="Of"/>.</summary>
public sealed record ApiCaller<TId>(TId Id) where TId : struct
{
    public static TId Of(HttpContext http) => http.Features.GetRequiredFeature<ApiCaller<TId>>().Id;
}
