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
    private readonly Lazy<byte[]> lookupKey;

    /// <param name="lookupKeys">Where the look-up key is kept; it is read (or made) at the first hash, not here, so that
    /// building a context touches no key before the store is migrated.</param>
    public PersonalData(IDataProtectionProvider provider, LookupKeyStore lookupKeys)
    {
        protector = provider.CreateProtector("LoanHub.PersonalData.v1");
        var keyProtector = provider.CreateProtector("LoanHub.LookupKey.v1");
        lookupKey = new Lazy<byte[]>(() => lookupKeys.LoadOrCreate(keyProtector), LazyThreadSafetyMode.ExecutionAndPublication);
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
        Convert.ToHexStringLower(HMACSHA256.HashData(lookupKey.Value, Encoding.UTF8.GetBytes(value.Trim().ToUpperInvariant())));
}

/// <summary>
/// Where the HMAC look-up key is kept, encrypted by the key ring: random per installation, so the hashes in the store
/// are useless to anyone holding only the database.
/// </summary>
public abstract class LookupKeyStore
{
    /// <summary>The installation's key; made on first use, and the same for every instance that shares the store.</summary>
    public abstract byte[] LoadOrCreate(IDataProtector protector);

    protected static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);
}

/// <summary>The look-up key as a file beside the key ring (<c>lookup-hash.key</c> in <see cref="Path"/>'s folder).</summary>
public sealed class LookupKeyFile(string path) : LookupKeyStore
{
    public const string FileName = "lookup-hash.key";

    public string Path { get; } = path;

    public override byte[] LoadOrCreate(IDataProtector protector)
    {
        if (File.Exists(Path)) return protector.Unprotect(File.ReadAllBytes(Path));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var key = NewKey();
        var temp = $"{Path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, protector.Protect(key));
        try
        {
            File.Move(temp, Path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Another instance over the same folder made it first: every instance must hash with that one.
            File.Delete(temp);
            return protector.Unprotect(File.ReadAllBytes(Path));
        }
    }
}
