namespace LoanHub.Core.Engine;

/// <summary>
/// A uniform draw in [0, 1) that is a pure function of its inputs (SplitMix64's finaliser over each word): the same
/// seed and keys give the same number in every process and on every machine, unlike <see cref="HashCode"/> or a shared
/// <see cref="Random"/> whose sequence depends on the order of the calls.
/// </summary>
public static class SeededDraw
{
    public static double Uniform(ulong seed, Guid first, Guid second, ulong salt)
    {
        Span<byte> bytes = stackalloc byte[32];
        first.TryWriteBytes(bytes);
        second.TryWriteBytes(bytes[16..]);
        var h = Mix(seed);
        for (var i = 0; i < 4; i++) h = Mix(h ^ BitConverter.ToUInt64(bytes[(i * 8)..]));
        h = Mix(h ^ salt);
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    // Wraps on purpose: the project checks arithmetic, a hash must not.
    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
