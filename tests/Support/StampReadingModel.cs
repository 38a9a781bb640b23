using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Tests.Support;

/// <summary>
/// A fake network that says which frame it saw: it reads the frame number stamped into the picture it is given
/// (<see cref="FrameStamp"/>, so the picture must be an exact shrink of the frame: half or a quarter of it) and answers
/// with a matte of vertical bands spelling that number in binary (band b is 1 where bit b is set). A sink reads the
/// bands back from the full-size matte (<see cref="ReadBands"/>) to learn which frame's matte a frame really got.
/// Optionally slow (a sleep per run, or one run held until a gate opens), and it can charge a made-up cost per run to a <see cref="ManualClock"/> instead.
/// </summary>
internal sealed class StampReadingModel(TimeSpan? delay = null, ManualClock? clock = null, Func<int, int, double>? costMs = null,
    (int Run, ManualResetEventSlim Open)? gate = null) : IMattingModel
{
    public const int Bands = FrameStamp.Bits;
    private readonly MatteOutput[] _outputs = [new(1, 1), new(1, 1)];
    private readonly long[] _seen = new long[2];   // per slot: offline prepares frame t+1 while frame t runs

    public int Inferences;
    public List<long> Seen { get; } = [];
    public List<(int Width, int Height)> Sizes { get; } = [];
    /// <summary>Every size the model was set up for, in order (each a probe run for a real model).</summary>
    public List<(int Width, int Height)> Configured { get; } = [];

    public string Name => "stamp-reading";
    public string Family => "test";
    public ModelCapabilities Capabilities => ModelCapabilities.Alpha;
    public string Provider => "none";
    public (int Width, int Height)? FrameSize { get; private set; }
    public (int Width, int Height) InputSize => FrameSize ?? (0, 0);

    public void Configure(int frameWidth, int frameHeight)
    {
        if (FrameSize == (frameWidth, frameHeight)) return;
        FrameSize = (frameWidth, frameHeight);
        Configured.Add((frameWidth, frameHeight));
        _outputs[0] = new MatteOutput(frameWidth, frameHeight);
        _outputs[1] = new MatteOutput(frameWidth, frameHeight);
    }

    public void Prepare(RgbImage frame, int slot) => _seen[slot] = FrameStamp.Read(frame);

    public void Infer(int slot)
    {
        if (delay is { } d) Thread.Sleep(d);
        if (gate is { } g && Inferences + 1 == g.Run) g.Open.Wait(TimeSpan.FromSeconds(30));
        var (w, h) = FrameSize!.Value;
        if (clock != null && costMs != null) clock.Advance(costMs(w, h));
        var a = _outputs[slot].Alpha;
        long seen = _seen[slot];
        for (int x = 0; x < w; x++)
        {
            int band = x * Bands / w;
            float v = ((seen >> band) & 1) == 1 ? 1f : 0f;
            for (int y = 0; y < h; y++) a[x, y] = v;
        }
        lock (Seen)
        {
            Seen.Add(seen);
            Sizes.Add((w, h));
        }
        Interlocked.Increment(ref Inferences);
    }

    public MatteOutput Read(int slot) => _outputs[slot];
    public void ResetState() { }
    public void Dispose() { }

    /// <summary>The frame number a matte of bands spells (read at each band's centre, on the middle row).</summary>
    public static long ReadBands(FloatPlane alpha)
    {
        long index = 0;
        int y = alpha.Height / 2;
        for (int band = 0; band < Bands; band++)
        {
            int x = (int)((band + 0.5) * alpha.Width / Bands);
            if (alpha[x, y] > 0.5f) index |= 1L << band;
        }
        return index;
    }
}

/// <summary>A clock that moves only when told: the network's runs cost what a test says, whatever the machine.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;
    public override long TimestampFrequency => 1_000_000;
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public void Advance(double milliseconds) => Interlocked.Add(ref _ticks, (long)(milliseconds * 1000));
}
