using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Pipeline;

/// <summary>
/// Live: the frames flow at the source's rate and the network runs beside them on the newest frame (each frame gets
/// the newest matte there is); a frame path slower than the source drops the oldest frame. Offline: every frame
/// gets its own matte, in order, with back-pressure.
/// </summary>
public enum PipelineMode { Live, Offline }

/// <summary>How the network's matte is brought to full resolution.</summary>
public enum Upsampling { Guided, Bilinear }

/// <summary>
/// Everything that shapes a run, as data (the state lives in the stages). Logged at start; every field has
/// a command-line option and a --config key of the same name.
/// </summary>
public sealed record PipelineSettings
{
    /// <summary>Null: live when the source is live (camera, --realtime), otherwise offline.</summary>
    public PipelineMode? Mode { get; init; }

    /// <summary>
    /// The long side of the picture the network sees (aspect kept); the matte is brought back to full size. With
    /// <see cref="AutoModelSize"/> set, the largest size live mode may choose, and the size offline mode uses.
    /// </summary>
    public int InferenceLongSide { get; init; } = 512;

    /// <summary>
    /// Live: choose the network's size while running (the largest of its ladder that keeps the matte fresh, see
    /// <see cref="Live.ModelSizeController"/>); null = always <see cref="InferenceLongSide"/>. Offline ignores it: there every
    /// frame waits for its own matte, so speed does not change the result and the largest size is used.
    /// </summary>
    public AutoModelSize? AutoModelSize { get; init; }

    public Upsampling Upsampling { get; init; } = Upsampling.Guided;
    public GuidedFilterSettings Guided { get; init; } = new();
    public SmoothingSettings Smoothing { get; init; } = new();
    public CompositeSettings Composite { get; init; } = new(new Background.Blur(Background.DefaultBlurRadius));

    /// <summary>Per-person handling (needs an instance model given to the pipeline); null = people are not separated.</summary>
    public People.PeopleSettings? People { get; init; }

    /// <summary>0..0.5: raises the level at which a pixel counts as person, pulling the edge inwards (0 = off).</summary>
    public float EdgeShrink { get; init; }

    /// <summary>Softens the matte's edge by a blur of this radius in full-resolution pixels (0 = off).</summary>
    public int Feather { get; init; }

    /// <summary>Reuse the previous matte when the picture barely changed (saves CPU on a still webcam).</summary>
    public bool SkipIdenticalFrames { get; init; }

    /// <summary>Mean absolute difference (0..1) under which a picture counts as identical to the previous one.</summary>
    public double IdenticalThreshold { get; init; } = 1.5 / 255;

    /// <summary>Reuse a matte at most this many frames in a row, so slow changes are still seen.</summary>
    public int MaxReusedFrames { get; init; } = 5;

    /// <summary>Mean absolute difference (0..1) above which the scene cut: recurrent state and smoothing restart.</summary>
    public double SceneCutThreshold { get; init; } = 0.16;

    /// <summary>
    /// Live: how the network's threads give way to the frame path (<see cref="NetworkPriority"/>; default idle). On one
    /// or two shared cores the frame path then gets the CPU first and keeps the camera's rate, and the network takes
    /// what is left: its pace (the matte's refresh rate) is what gives, not the frames.
    /// </summary>
    public NetworkPriority LiveNetworkPriority { get; init; } = NetworkPriority.Idle;

    /// <summary>
    /// Live: move each frame's matte, computed from an earlier frame, by the motion since that frame (optical flow
    /// between the two frames' small lumas, <see cref="MotionWarp"/>) before it is fitted to the frame's edges.
    /// </summary>
    public bool LiveMotionWarp { get; init; } = true;

    /// <summary>
    /// The first frames of a run are left out of the timing statistics (JIT compilation and the runtime's first
    /// inferences make them several times slower); they are still processed and counted.
    /// </summary>
    public int StatsWarmupFrames { get; init; } = 30;

    /// <summary>After a stop request, how long to let in-flight frames finish before aborting.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The small working size for a frame: the long side scaled to <see cref="InferenceLongSide"/> (never up), even.</summary>
    public (int Width, int Height) InferenceSize(int width, int height) => SizeForLongSide(InferenceLongSide, width, height);

    /// <summary>A frame's size shrunk so its long side is <paramref name="longSide"/> (never up), both sides even.</summary>
    public static (int Width, int Height) SizeForLongSide(int longSide, int width, int height)
    {
        double scale = Math.Min(1.0, (double)longSide / Math.Max(width, height));
        int w = Math.Max(2, (int)Math.Round(width * scale / 2) * 2), h = Math.Max(2, (int)Math.Round(height * scale / 2) * 2);
        return (Math.Min(w, width), Math.Min(h, height));
    }
}
