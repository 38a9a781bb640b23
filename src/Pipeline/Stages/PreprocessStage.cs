using StreamMatte.Imaging;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Preprocess: shrinks the frame to the network's working size (area filter), notices scene cuts and
/// near-identical pictures, and writes the network input into a free model slot. Offline, with two slots, this runs
/// for frame t+1 while the inference stage runs frame t (double-buffered tensors); live, with one slot (the default),
/// the slot is taken first and then the newest frame, so the network always gets the latest picture.
/// </summary>
internal sealed class PreprocessStage(PipelineContext context) : FrameStage("preprocess", context)
{
    private readonly AreaScaler _scaler = new();
    private readonly SceneChangeDetector _changes = new();
    private int _reusedInARow;
    private bool _haveMatte;
    private int _reservedSlot = -1;

    /// <summary>
    /// Live mode: a free model slot is taken before the next frame is, so the frame prepared is the newest one;
    /// waiting for a slot with a frame in hand would send the network a picture as old as one inference.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ReadyAsync()
    {
        if (Context.Mode != PipelineMode.Live || _reservedSlot >= 0) return;
        _reservedSlot = await Context.FreeSlots.Reader.ReadAsync().ConfigureAwait(false);
    }

    protected override void OnStopped()
    {
        if (_reservedSlot < 0) return;
        Context.FreeSlots.Writer.TryWrite(_reservedSlot);
        _reservedSlot = -1;
    }

    // Pooled: this method suspends whenever both slots are busy, and must not allocate a state machine each time.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ProcessAsync(Frame frame)
    {
        _scaler.Scale(frame.Image, frame.Small);
        double change = _changes.Compare(frame.Small);
        var settings = Context.Settings;
        frame.SceneCut = change >= settings.SceneCutThreshold && _haveMatte;
        frame.ReuseMatte = settings.SkipIdenticalFrames && _haveMatte && change < settings.IdenticalThreshold
                           && _reusedInARow < settings.MaxReusedFrames;
        if (frame.ReuseMatte)
        {
            _reusedInARow++;
            return;
        }
        _reusedInARow = 0;
        _haveMatte = true;
        if (_reservedSlot >= 0) (frame.Slot, _reservedSlot) = (_reservedSlot, -1);
        else frame.Slot = await Context.FreeSlots.Reader.ReadAsync().ConfigureAwait(false);
        Context.Model.Prepare(frame.Small, frame.Slot);
    }
}
