namespace LoanHub.Core.Engine;

/// <summary>
/// The slots of an open-addressing hash table whose entries the owner keeps in its own arrays, numbered 0, 1, 2 … in the
/// order added: 4 bytes a slot and no object per entry. Linear probing from the high bits of a 64-bit hash.
/// </summary>
/// <remarks>
/// Only the newest entry can be removed, which is all an undo needs. That removal just frees its slot: growing adds the
/// entries again in their order, so the newest entry always took its slot last and no other entry's probe ran across it.
/// </remarks>
internal sealed class ProbeTable(Func<int, ulong> hashOf)
{
    private const int InitialBits = 4;

    private int[] _slots = new int[1 << InitialBits]; // entry + 1; 0 is free
    private int _shift = 64 - InitialBits;

    public int Count { get; private set; }

    /// <summary>Where the probe for <paramref name="hash"/> starts; follow with <see cref="EntryAt"/> and <see cref="Next"/>.</summary>
    public int Start(ulong hash) => (int)(Spread(hash) >> _shift);

    /// <summary>The entry in the slot at <paramref name="position"/>, or -1 when the slot is free (the probe ends there).</summary>
    public int EntryAt(int position) => _slots[position] - 1;

    public int Next(int position) => (position + 1) & (_slots.Length - 1);

    /// <summary>Adds <paramref name="entry"/>, which must be the next number (<see cref="Count"/>).</summary>
    public void Add(ulong hash, int entry)
    {
        // Grown at 70 % full: a probe that misses then still reads one or two cache lines.
        if ((Count + 1) * 10L > _slots.Length * 7L) Grow();
        Place(hash, entry);
        Count++;
    }

    /// <summary>Removes the entry added last, whose hash is <paramref name="hash"/>.</summary>
    public void RemoveNewest(ulong hash)
    {
        var newest = Count - 1;
        var position = Start(hash);
        while (EntryAt(position) != newest) position = Next(position);
        _slots[position] = 0;
        Count--;
    }

    private void Place(ulong hash, int entry)
    {
        var position = Start(hash);
        while (_slots[position] != 0) position = Next(position);
        _slots[position] = entry + 1;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        _shift--;
        for (var entry = 0; entry < Count; entry++) Place(hashOf(entry), entry);
    }

    // Fibonacci hashing: the high bits of the product depend on every bit of the hash, however it was made.
    private static ulong Spread(ulong hash) => unchecked(hash * 0x9E3779B97F4A7C15UL);
}

/// <summary>Arrays indexed by a dense number (of a key or an application) that grow by doubling as numbers are handed out.</summary>
internal static class DenseArray
{
    /// <summary>Makes <paramref name="array"/> long enough for index <paramref name="index"/>, new elements set to <paramref name="empty"/>.</summary>
    public static void Cover<T>(ref T[] array, int index, T empty)
    {
        if (index < array.Length) return;
        var old = array.Length;
        Array.Resize(ref array, Math.Max(16, Math.Max(index + 1, old * 2)));
        array.AsSpan(old).Fill(empty);
    }
}
