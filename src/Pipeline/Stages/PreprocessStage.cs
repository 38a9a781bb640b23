using StreamMatte.Imaging;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Preprocess: shrinks the frame to the working size (area filter), notices scene cuts (numbering the scenes) and
/// near-identical pictures, and hands the picture to the network. Offline, it writes the network input into a free
/// model slot (two slots: frame t+1 is prepared while the inference stage runs frame t). Live, it offers a copy to the
/// <see cref="FlowLimiter"/> and goes on at once: the network takes the newest picture when it is free.
/// </summary>
internal sealed class PreprocessStage(PipelineContext context, FlowLimiter? live) : FrameStage("preprocess", context)
{
    private readonly AreaScaler _scaler = new();
    private readonly SceneChangeDetector _changes = new();
    private int _reusedInARow;
    private bool _haveMatte;
    private long _scene;

    // Pooled: offline this method suspends whenever both slots are busy, and must not allocate a state machine each time.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ProcessAsync(Frame frame)
    {
        _scaler.Scale(frame.Image, frame.Small);
        double change = _changes.Compare(frame.Small);
        var settings = Context.Settings;
        frame.SceneCut = change >= settings.SceneCutThreshold && _haveMatte;
        if (frame.SceneCut) _scene++;
        frame.Scene = _scene;
        frame.ReuseMatte = settings.SkipIdenticalFrames && _haveMatte && change < settings.IdenticalThreshold
                           && _reusedInARow < settings.MaxReusedFrames;
        if (frame.ReuseMatte)
        {
            _reusedInARow++;
            return;
        }
        _reusedInARow = 0;
        _haveMatte = true;
        if (live != null)
        {
            live.Offer(frame.Small, frame.Index, frame.Scene, frame.ArrivedAt);
            return;
        }
        frame.Slot = await Context.FreeSlots.Reader.ReadAsync().ConfigureAwait(false);
        Context.Model.Prepare(frame.Small, frame.Slot);
    }

    /// <summary>Live: no more pictures for the network once the frames have ended.</summary>
    protected override void OnStopped() => live?.Complete();
}
