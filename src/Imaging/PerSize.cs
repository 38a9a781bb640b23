namespace StreamMatte.Imaging;

/// <summary>
/// Set-up kept for each size seen (buffers, sampler tables, matrices), a few sizes at most. Live mode moves the
/// network between the sizes of a short ladder as the machine's load changes; each part of the frame path that works
/// at the network's size keeps one of these, so that going back to a size it has seen allocates nothing: before, each
/// change dropped one size's buffers and made the next's, and a 30-minute soak's resident memory stepped up 9–17 MB
/// at the first changes (bench/results/LiveSoak.md). Lookup is a scan of a few keys, allocation-free on a hit; when
/// full, the least recently used entry gives way (disposed when it is <see cref="IDisposable"/>).
/// Not thread-safe: each user owns its own.
/// </summary>
public sealed class PerSize<TKey, T>(int capacity = PerSize<TKey, T>.DefaultCapacity) where TKey : IEquatable<TKey> where T : class
{
    /// <summary>More than live mode's ladder has sizes (six).</summary>
    public const int DefaultCapacity = 8;

    private readonly TKey[] _keys = new TKey[capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity))];
    private readonly T[] _values = new T[capacity];
    private readonly long[] _lastUse = new long[capacity];
    private int _count;
    private long _uses;

    /// <summary>How many sizes are kept now.</summary>
    public int Count => _count;

    /// <summary>The set-up kept for <paramref name="key"/>, if any (and marks it used).</summary>
    public bool TryGet(TKey key, out T value)
    {
        for (int i = 0; i < _count; i++)
        {
            if (!_keys[i].Equals(key)) continue;
            _lastUse[i] = ++_uses;
            value = _values[i];
            return true;
        }
        value = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/> (which must not be kept yet) and returns it.</summary>
    public T Add(TKey key, T value)
    {
        int slot = _count;
        if (_count == _keys.Length)
        {
            slot = 0;
            for (int i = 1; i < _count; i++) if (_lastUse[i] < _lastUse[slot]) slot = i;
            (_values[slot] as IDisposable)?.Dispose();
        }
        else _count++;
        (_keys[slot], _values[slot], _lastUse[slot]) = (key, value, ++_uses);
        return value;
    }

    /// <summary>Disposes every kept value that is <see cref="IDisposable"/> and forgets them all.</summary>
    public void Clear()
    {
        for (int i = 0; i < _count; i++) (_values[i] as IDisposable)?.Dispose();
        Array.Clear(_keys);
        Array.Clear(_values);
        _count = 0;
    }
}
