using System.Security.Cryptography;
using System.Text;

namespace LoanHub.Core.Domain;

/// <summary>
/// The products as the engine decided on them from <see cref="TakenAt"/> until the next version: eligibility
/// criteria, limits, commission contracts and whether each product and lender was active. Written whenever the
/// engine's catalog changes, so a replay of a past applicant can use the catalog of its own time.
/// </summary>
public sealed class CatalogVersion
{
    public long Id { get; private set; }
    public DateTimeOffset TakenAt { get; private set; }
    /// <summary>SHA-256 of <see cref="ProductsJson"/>, lower-case hex: a catalog read again unchanged makes no new version.</summary>
    public string Fingerprint { get; private set; } = "";
    /// <summary>The engine's product snapshots, in product id order, as the engine's JSON.</summary>
    public string ProductsJson { get; private set; } = "[]";

    private CatalogVersion() { }

    public CatalogVersion(DateTimeOffset takenAt, string productsJson)
    {
        TakenAt = takenAt;
        ProductsJson = productsJson;
        Fingerprint = FingerprintOf(productsJson);
    }

    public static string FingerprintOf(string productsJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(productsJson)));
}
