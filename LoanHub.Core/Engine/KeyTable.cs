namespace LoanHub.Core.Engine;

/// <summary>
/// Numbers each distinct key 0, 1, 2 … in the order first seen, so what an index keeps per key can live in arrays indexed
/// by that number instead of in an object per key.
/// </summary>
/// <remarks>
/// Keyed hashes in lowercase hex — 64 characters from the store, 16 from the backtest's prefixes — are kept as their bits,
/// 8 bytes per 16 characters, not as strings. Any other key (uppercase, odd lengths, test names) is kept as its string, so
/// two keys are the same exactly when their strings are equal.
/// </remarks>
internal sealed class KeyTable
{
    private const int MaxWords = 4;

    private readonly HexKeys?[] _hex = new HexKeys?[MaxWords + 1]; // by width in 64-bit words
    private readonly Dictionary<string, int> _other = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    /// <summary>The key's number, or -1 when it has never been added.</summary>
    public int Find(string key)
    {
        Span<ulong> words = stackalloc ulong[MaxWords];
        var width = Parse(key, words);
        if (width == 0) return _other.TryGetValue(key, out var number) ? number : -1;
        return _hex[width]?.Find(words[..width]) ?? -1;
    }

    /// <summary>The key's number, adding it as the next number (<paramref name="added"/>) when it is new.</summary>
    public int Add(string key, out bool added)
    {
        Span<ulong> words = stackalloc ulong[MaxWords];
        var width = Parse(key, words);
        if (width == 0)
        {
            added = _other.TryAdd(key, Count);
            if (!added) return _other[key];
        }
        else
        {
            var table = _hex[width] ??= new HexKeys(width);
            var found = table.Find(words[..width]);
            added = found < 0;
            if (!added) return found;
            table.Add(words[..width], Count);
        }
        return Count++;
    }

    /// <summary>Forgets <paramref name="key"/>, which must be the key added last (an undo).</summary>
    public void RemoveNewest(string key)
    {
        Span<ulong> words = stackalloc ulong[MaxWords];
        var width = Parse(key, words);
        if (width == 0) _other.Remove(key);
        else _hex[width]!.RemoveNewest(words[..width]);
        Count--;
    }

    // The key's words when it is lowercase hex of 16, 32, 48 or 64 characters; otherwise 0.
    private static int Parse(string key, Span<ulong> words)
    {
        if (key.Length == 0 || key.Length % 16 != 0 || key.Length > MaxWords * 16) return 0;
        for (var w = 0; w < key.Length / 16; w++)
        {
            ulong word = 0;
            foreach (var c in key.AsSpan(w * 16, 16))
            {
                var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : -1;
                if (digit < 0) return 0;
                word = word << 4 | (uint)digit;
            }
            words[w] = word;
        }
        return key.Length / 16;
    }

    /// <summary>The hex keys of one width, their words side by side in one array.</summary>
    private sealed class HexKeys
    {
        private readonly int _width;
        private readonly ProbeTable _slots;
        private ulong[] _words = [];
        private int[] _numbers = []; // the key's number in the whole table

        public HexKeys(int width)
        {
            _width = width;
            _slots = new ProbeTable(entry => Hash(_words.AsSpan(entry * _width, _width)));
        }

        public int Find(ReadOnlySpan<ulong> words)
        {
            for (var position = _slots.Start(Hash(words)); _slots.EntryAt(position) is var entry and >= 0; position = _slots.Next(position))
            {
                if (_words.AsSpan(entry * _width, _width).SequenceEqual(words)) return _numbers[entry];
            }
            return -1;
        }

        public void Add(ReadOnlySpan<ulong> words, int number)
        {
            var entry = _slots.Count;
            DenseArray.Cover(ref _words, (entry + 1) * _width - 1, 0UL);
            DenseArray.Cover(ref _numbers, entry, 0);
            words.CopyTo(_words.AsSpan(entry * _width));
            _numbers[entry] = number;
            _slots.Add(Hash(words), entry);
        }

        public void RemoveNewest(ReadOnlySpan<ulong> words) => _slots.RemoveNewest(Hash(words));

        // Keyed hashes are uniform already; folding the words keeps every bit in play for keys that are not.
        private static ulong Hash(ReadOnlySpan<ulong> words)
        {
            var hash = 0UL;
            foreach (var word in words) hash = unchecked((hash ^ word) * 0xC2B2AE3D27D4EB4FUL);
            return hash;
        }
    }
}
