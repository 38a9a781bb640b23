namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Events per second over the recent past (the last <see cref="Window"/> events): the matte's refresh rate. Fed
/// timestamps (ticks of a <see cref="TimeProvider"/>) by one thread, read by the status reporter. No allocation.
/// </summary>
public sealed class RateMeter(long ticksPerSecond)
{
    public const int Window = 32;
    private readonly long[] _ring = new long[Window];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Tick(long timestamp)
    {
        lock (_ring)
        {
            _ring[_count % Window] = timestamp;
            _count++;
        }
    }

    /// <summary>Events per second between the oldest and the newest event of the window; NaN before two events.</summary>
    public double PerSecond
    {
        get
        {
            lock (_ring)
            {
                if (_count < 2) return double.NaN;
                int n = (int)Math.Min(_count, Window);
                long newest = _ring[(_count - 1) % Window], oldest = _ring[(_count - n) % Window];
                return newest > oldest ? (n - 1) * (double)ticksPerSecond / (newest - oldest) : double.NaN;
            }
        }
    }
}
