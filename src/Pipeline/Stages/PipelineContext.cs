using System.Threading.Channels;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Stages;

/// <summary>What the stages of one run share: the frame pool, the model and its two slots, the settings.</summary>
internal sealed class PipelineContext
{
    public PipelineContext(FramePool pool, IMattingModel model, PipelineSettings settings, PipelineMode mode)
    {
        Pool = pool;
        Model = model;
        Settings = settings;
        Mode = mode;
        // Offline: two slots, so frame t+1 is prepared while frame t runs. Live mode's network has its own loop
        // (Live.LiveInference, slot 0 only) and the frame path takes no slot.
        FreeSlots = Channel.CreateBounded<int>(new BoundedChannelOptions(2) { SingleReader = true });
        if (mode == PipelineMode.Offline)
        {
            FreeSlots.Writer.TryWrite(0);
            FreeSlots.Writer.TryWrite(1);
        }
    }

    public FramePool Pool { get; }
    public IMattingModel Model { get; }
    public PipelineSettings Settings { get; }
    public PipelineMode Mode { get; }

    /// <summary>Offline: model slots not holding a prepared frame: preprocessing takes one, inference gives it back (two: double buffering).</summary>
    public Channel<int> FreeSlots { get; }

    /// <summary>Gives a frame back: its model slot (if it still holds one) and then the frame itself.</summary>
    public void Release(Frame frame)
    {
        if (frame.Slot >= 0)
        {
            FreeSlots.Writer.TryWrite(frame.Slot);
            frame.Slot = -1;
        }
        Pool.Return(frame);
    }

    private readonly List<Channel<Frame>> _links = [];

    /// <summary>
    /// Ends every wait of the run (links, model slots, the pool) with an <see cref="OperationCanceledException"/>.
    /// The stages wait without cancellation tokens because a channel wait with a cancellable token allocates each
    /// time; completing the channels is how an abort reaches them.
    /// </summary>
    public void Interrupt()
    {
        var aborted = new OperationCanceledException("the run was aborted");
        lock (_links)
            foreach (var link in _links) link.Writer.TryComplete(aborted);
        FreeSlots.Writer.TryComplete(aborted);
        Pool.Interrupt();
    }

    /// <summary>Writes to the next stage; if the run aborts while waiting, the frame is released instead.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ForwardAsync(ChannelWriter<Frame> output, Frame frame)
    {
        if (output.TryWrite(frame)) return;
        try { await output.WriteAsync(frame).ConfigureAwait(false); }
        catch
        {
            Release(frame);
            throw;
        }
    }

    /// <summary>The channel between two stages: one frame deep; live mode drops the oldest (and releases it), offline waits.</summary>
    public Channel<Frame> CreateLink(StageStats reader)
    {
        var options = new BoundedChannelOptions(1)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = Mode == PipelineMode.Live ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        var link = Channel.CreateBounded<Frame>(options, dropped =>
        {
            reader.CountDrop();
            Release(dropped);
        });
        lock (_links) _links.Add(link);
        return link;
    }
}
