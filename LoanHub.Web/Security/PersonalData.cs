using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace LoanHub.Web.Security;

/// <summary>
/// Encrypts sensitive personal information (name, national ID, phone) at rest with ASP.NET Core Data
/// Protection, and gives keyed hashes (HMAC-SHA256) of the values the engine must match on, so duplicate
/// and ring look-ups never need the clear value. Whoever reads the database file sees neither.
/// </summary>
public sealed class PersonalData
{
    private readonly IDataProtector protector;
    private readonly byte[] lookupKey;

    public PersonalData(IDataProtectionProvider provider, PersonalDataOptions options)
    {
        protector = provider.CreateProtector("LoanHub.PersonalData.v1");
        lookupKey = LoadOrCreateLookupKey(provider.CreateProtector("LoanHub.LookupKey.v1"), options.LookupKeyPath);
    }

    // Ciphertexts made ahead, keyed by the very string instance they encrypt, so each lives as long as its value does.
    private readonly ConditionalWeakTable<string, string> protectedAhead = [];

    public string Protect(string value) => protectedAhead.TryGetValue(value, out var ciphertext) ? ciphertext : protector.Protect(value);

    /// <summary>
    /// Encrypts <paramref name="value"/> now, on the caller's thread, for a <see cref="Protect"/> of the same string
    /// instance later: intake does this before it queues an application, so the single writer does not spend its time
    /// encrypting.
    /// </summary>
    public void ProtectAhead(string value) => protectedAhead.AddOrUpdate(value, protector.Protect(value));

    public string Unprotect(string value) => protector.Unprotect(value);

    /// <summary>A stable keyed hash of a normalised value (trimmed, upper case: the ID's check character may be x or X).</summary>
    public string LookupHash(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(lookupKey, Encoding.UTF8.GetBytes(value.Trim().ToUpperInvariant())));

    // The HMAC key is random per installation and kept beside the key ring, itself encrypted by it,
    // so the hashes are useless to anyone holding only the database.
    private static byte[] LoadOrCreateLookupKey(IDataProtector keyProtector, string path)
    {
        if (File.Exists(path)) return keyProtector.Unprotect(File.ReadAllBytes(path));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, keyProtector.Protect(key));
        try
        {
            File.Move(temp, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance over the same folder made it first: every instance must hash with that one.
            File.Delete(temp);
            return keyProtector.Unprotect(File.ReadAllBytes(path));
        }
    }
}

public sealed record PersonalDataOptions(string KeysDirectory)
{
    public string LookupKeyPath => Path.Combine(KeysDirectory, "lookup-hash.key");
}
