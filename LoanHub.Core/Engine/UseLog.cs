namespace LoanHub.Core.Engine;

/// <summary>
/// Timed uses of numbered keys — which national ID used a device when, which application came from an IP when — as one
/// linked list per key threaded through shared arrays: 4 bytes a key, 16 a use, no object for either. The order of a
/// key's uses is not kept (the checks only count them); slots of dropped uses are handed out again.
/// </summary>
internal sealed class UseLog
{
    private int[] _newest = []; // per key: its newest use, or -1
    private int[] _next = [];   // per use: the key's next older use, or -1; for a free slot, the next free slot
    private int[] _values = [];
    private long[] _utcTicks = [];
    private int _handedOut;
    private int _free = -1;

    /// <summary>A key's newest use, or -1 when it has none; <see cref="Next"/> walks to older ones.</summary>
    public int First(int key) => key < _newest.Length ? _newest[key] : -1;

    public int Next(int use) => _next[use];

    public int Value(int use) => _values[use];

    public long UtcTicks(int use) => _utcTicks[use];

    public void Add(int key, int value, long utcTicks)
    {
        DenseArray.Cover(ref _newest, key, -1);
        var use = _free;
        if (use >= 0) _free = _next[use];
        else
        {
            use = _handedOut++;
            DenseArray.Cover(ref _next, use, -1);
            DenseArray.Cover(ref _values, use, 0);
            DenseArray.Cover(ref _utcTicks, use, 0L);
        }
        _values[use] = value;
        _utcTicks[use] = utcTicks;
        _next[use] = _newest[key];
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
        while (_values[use] != value || _utcTicks[use] != utcTicks)
        {
            previous = use;
            use = _next[use];
        }
        if (previous < 0) _newest[key] = _next[use];
        else _next[previous] = _next[use];
        Release(use);
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
            var next = _next[use];
            if (_utcTicks[use] > cutoffUtcTicks) previous = use;
            else
            {
                if (previous < 0) _newest[key] = next;
                else _next[previous] = next;
                dropped?.Add((_values[use], _utcTicks[use]));
                Release(use);
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

    private void Release(int use)
    {
        _next[use] = _free;
        _free = use;
    }
}
