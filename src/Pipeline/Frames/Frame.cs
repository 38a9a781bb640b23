using StreamMatte.Imaging;
using StreamMatte.Pipeline.People;

namespace StreamMatte.Pipeline.Frames;

/// <summary>
/// One video frame on its way through the pipeline, with everything computed for it, so the matte and the
/// pixels always belong to the same frame. Frames are pooled: a stage that receives one owns it until it
/// writes it to the next channel; the sink stage (or whoever drops it) returns it to its <see cref="FramePool"/>.
/// Buffers are allocated once when the pool is built (the matte once per model output size).
/// </summary>
public sealed class Frame
{
    internal Frame(FramePool pool, int width, int height, int smallWidth, int smallHeight, PeopleShape? people = null)
    {
        Pool = pool;
        if (people is { } p) People = new PeopleMap(p.Width, p.Height, p.Capacity);
        Image = new RgbImage(width, height);
        Alpha = new FloatPlane(width, height);
        Small = new RgbImage(smallWidth, smallHeight);
        Matte = new FloatPlane(smallWidth, smallHeight);
    }

    internal FramePool Pool { get; }

    /// <summary>Position in the source, 0-based. In live mode indices of dropped frames are skipped, never reused.</summary>
    public long Index { get; internal set; }

    /// <summary>Media time of the frame (from the source).</summary>
    public TimeSpan Timestamp { get; internal set; }

    /// <summary>When the source delivered it (<see cref="System.Diagnostics.Stopwatch"/> ticks): the start of its latency.</summary>
    public long ArrivedAt { get; internal set; }

    /// <summary>The full-resolution picture: as decoded, then composited in place.</summary>
    public RgbImage Image { get; }

    /// <summary>The full-resolution matte (α in 0..1), valid from the refine stage on.</summary>
    public FloatPlane Alpha { get; }

    /// <summary>The picture shrunk to the network's working size (the guide of the matte filters).</summary>
    internal RgbImage Small { get; }

    /// <summary>The model's matte at its own resolution; smoothed in place by the refine stage.</summary>
    internal FloatPlane Matte { get; }

    /// <summary>The people in the frame and their shares of the matte, when the run separates people (else null).</summary>
    public PeopleMap? People { get; }

    /// <summary>The model slot holding this frame's prepared input, or −1.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>The picture changed completely (cut): recurrent state and smoothing start over.</summary>
    internal bool SceneCut { get; set; }

    /// <summary>Which scene the frame belongs to (0, then one more at each cut): live, a matte is only used within its scene.</summary>
    internal long Scene { get; set; }

    /// <summary>
    /// The index of the frame whose picture the matte was computed from: the frame itself offline; live, the newest
    /// frame the network had finished when this one needed a matte (never a later one). −1 before the matte is set.
    /// </summary>
    public long MatteFrom { get; internal set; } = -1;

    /// <summary>Nearly identical to the previous frame: the previous matte is reused, the network not run.</summary>
    internal bool ReuseMatte { get; set; }

    /// <summary>Time the network took for this frame (ticks), to separate inference from pipeline latency.</summary>
    internal long InferenceTicks { get; set; }

    internal int InPool; // 1 while the pool holds it: catches a double return

    internal void ResetForReuse()
    {
        Slot = -1;
        SceneCut = false;
        Scene = 0;
        MatteFrom = -1;
        ReuseMatte = false;
        InferenceTicks = 0;
    }
}

/// <summary>Size of the per-frame people maps: resolution and how many people at most.</summary>
public readonly record struct PeopleShape(int Width, int Height, int Capacity);
