namespace LoanHub.Core.Engine;

/// <summary>
/// Timed uses of numbered keys — which national ID used a device when, which application came from an IP when — as one
/// linked list per key threaded through shared arrays: 4 bytes a key, 16 a use, no object for either. The order of a
/// key's uses is not kept (the checks only count them); slots of dropped uses are handed out again.
/// </summary>
internal sealed class UseLog
{
    /// <summary>A use, and the key's next older use (-1 for none; in a free slot, the next free slot).</summary>
    private struct Use
    {
        public long UtcTicks;
        public int Value;
        public int Next;
    }

    private int[] _newest = []; // per key: its newest use, or -1
    private Use[] _uses = [];
    private int _handedOut;
    private int _free = -1;

    /// <summary>A key's newest use, or -1 when it has none; <see cref="Next"/> walks to older ones.</summary>
    public int First(int key) => key < _newest.Length ? _newest[key] : -1;

    public int Next(int use) => _uses[use].Next;

    public int Value(int use) => _uses[use].Value;

    public long UtcTicks(int use) => _uses[use].UtcTicks;

    public void Add(int key, int value, long utcTicks)
    {
        DenseArray.Cover(ref _newest, key, -1);
        var use = _free;
        if (use >= 0) _free = _uses[use].Next;
        else
        {
            use = _handedOut++;
            DenseArray.Cover(ref _uses, use, default);
        }
        _uses[use] = new Use { UtcTicks = utcTicks, Value = value, Next = _newest[key] };
        _newest[key] = use;
    }

    /// <summary>
    /// Removes one use of the key with this value and time (the undo of an <see cref="Add"/>: uses put back by undoing a later
    /// trim may have come in front of it, and any equal use is the same use to the checks).
    /// </summary>
    public void Remove(int key, int value, long utcTicks)
    {
        var previous = -1;
        var use = _newest[key];
        while (_uses[use].Value != value || _uses[use].UtcTicks != utcTicks)
        {
            previous = use;
            use = _uses[use].Next;
        }
        Unlink(key, previous, use);
    }

    /// <summary>Drops the key's uses at or before <paramref name="cutoffUtcTicks"/>, telling <paramref name="dropped"/> of each.</summary>
    /// <returns>How many were dropped.</returns>
    public int RemoveAtOrBefore(int key, long cutoffUtcTicks, List<(int Value, long UtcTicks)>? dropped = null)
    {
        if (key >= _newest.Length) return 0;
        var count = 0;
        var previous = -1;
        for (var use = _newest[key]; use >= 0;)
        {
            var next = _uses[use].Next;
            if (_uses[use].UtcTicks > cutoffUtcTicks) previous = use;
            else
            {
                dropped?.Add((_uses[use].Value, _uses[use].UtcTicks));
                Unlink(key, previous, use);
                count++;
            }
            use = next;
        }
        return count;
    }

    /// <summary>Drops every key's uses at or before <paramref name="cutoffUtcTicks"/>.</summary>
    /// <returns>How many were dropped.</returns>
    public int RemoveAtOrBefore(long cutoffUtcTicks)
    {
        var count = 0;
        for (var key = 0; key < _newest.Length; key++)
        {
            if (_newest[key] >= 0) count += RemoveAtOrBefore(key, cutoffUtcTicks);
        }
        return count;
    }

    // Takes the use out of the key's list (after `previous`, or at its head) and frees its slot.
    private void Unlink(int key, int previous, int use)
    {
        if (previous < 0) _newest[key] = _uses[use].Next;
        else _uses[previous].Next = _uses[use].Next;
        _uses[use].Next = _free;
        _free = use;
    }
}
