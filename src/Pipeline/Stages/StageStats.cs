using System.Diagnostics;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Timings of one stage (or of the end-to-end latency): the last 512 durations in a ring, so percentiles
/// describe the recent past of a live run, plus totals. Written by one thread, read by the status reporter.
/// The first <see cref="WarmupFrames"/> samples are counted but not timed: they include the JIT compiling the
/// kernels and ONNX Runtime's first runs, one-off costs that would otherwise dominate the p95 of a short run.
/// </summary>
public sealed class StageStats(string name)
{
    private const int Window = 512;
    private readonly float[] _ring = new float[Window];
    private readonly float[] _sorted = new float[Window];
    private long _count;
    private double _totalMs;
    private double _cpuTotalMs;
    private long _cpuCount;
    private long _dropped;

    public string Name { get; } = name;

    /// <summary>Samples recorded after the warm-up (what the percentiles and mean describe).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Samples left out as warm-up so far.</summary>
    public long WarmupCount { get; private set; }

    /// <summary>How many first samples are warm-up (set before the run).</summary>
    public int WarmupFrames { get; set; }
    public double TotalMilliseconds => _totalMs;

    /// <summary>Frames thrown away in front of this stage (live mode: a newer frame replaced them).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(long startTicks, long endTicks) => RecordMilliseconds((float)((endTicks - startTicks) * 1000.0 / Stopwatch.Frequency));

    /// <summary>A duration and the CPU time the stage's thread spent in it (NaN when the work moved threads: unknown).</summary>
    public void Record(long startTicks, long endTicks, double cpuMs)
    {
        lock (_ring)
        {
            if (WarmupCount < WarmupFrames || double.IsNaN(cpuMs)) { }
            else
            {
                _cpuTotalMs += cpuMs;
                _cpuCount++;
            }
            Record(startTicks, endTicks);   // the lock is re-entrant; the warm-up is counted there
        }
    }

    /// <summary>
    /// Mean CPU time per frame of the stage's own thread (after the warm-up), NaN when not measured. Against the wall
    /// time it tells the stage's cost from its waiting for cores that other stages and the network use.
    /// </summary>
    public double MeanCpuMilliseconds
    {
        get { lock (_ring) return _cpuCount == 0 ? double.NaN : _cpuTotalMs / _cpuCount; }
    }

    /// <summary>Records a value that is not a duration (e.g. a matte's age in frames): same window, same percentiles.</summary>
    public void RecordValue(float value) => RecordMilliseconds(value);

    public void RecordMilliseconds(float ms)
    {
        lock (_ring)
        {
            if (WarmupCount < WarmupFrames)
            {
                WarmupCount++;
                return;
            }
            _ring[_count % Window] = ms;
            _totalMs += ms;
            _count++;
        }
    }

    internal void CountDrop() => Interlocked.Increment(ref _dropped);

    /// <summary>Percentiles (0..100) of the recent window; NaN before the first sample.</summary>
    public (double P50, double P95, double P99) Percentiles()
    {
        lock (_ring)
        {
            int n = (int)Math.Min(_count, Window);
            if (n == 0) return (double.NaN, double.NaN, double.NaN);
            Array.Copy(_ring, _sorted, n);
            Array.Sort(_sorted, 0, n);
            return (At(0.50, n), At(0.95, n), At(0.99, n));
        }
    }

    private double At(double q, int n) => _sorted[Math.Min(n - 1, (int)Math.Ceiling(q * n) - 1)];

    public double MeanMilliseconds => _count == 0 ? double.NaN : _totalMs / _count;
}
