using System.Diagnostics;
using System.Threading.Channels;
using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// A stage with one job and one read loop: take a frame from the input channel, process it, pass it on.
/// Ownership: the frame is this stage's from the moment it is read until it is written to the output (or
/// released, if the run aborts while the stage holds it). Whatever is left in the input when the loop ends
/// is released too, so no frame leaks from the pool.
/// </summary>
internal abstract class FrameStage(string name, PipelineContext context)
{
    protected PipelineContext Context { get; } = context;
    public StageStats Stats { get; } = new(name);
    public ChannelReader<Frame> Input { get; set; } = null!;
    public ChannelWriter<Frame>? Output { get; set; }

    /// <summary>This stage's work on one frame (synchronous CPU work, or waiting for a model slot).</summary>
    protected abstract ValueTask ProcessAsync(Frame frame);

    /// <summary>
    /// The read loop. Its waits take no cancellation token (a cancellable channel wait allocates every time): an
    /// aborting run completes the channels (<see cref="PipelineContext.Interrupt"/>), which ends them.
    /// </summary>
    public async Task RunAsync()
    {
        Frame? held = null;
        try
        {
            while (true)
            {
                await ReadyAsync().ConfigureAwait(false);
                if (!Input.TryRead(out held))
                {
                    if (!await Input.WaitToReadAsync().ConfigureAwait(false)) break;
                    continue;
                }
                long start = Stopwatch.GetTimestamp();
                await ProcessAsync(held).ConfigureAwait(false);
                Stats.Record(start, Stopwatch.GetTimestamp());
                var done = held;
                held = null;
                if (Output is null) Context.Release(done);
                else await Context.ForwardAsync(Output, done).ConfigureAwait(false);
            }
            Output?.TryComplete();
        }
        catch (Exception e)
        {
            Output?.TryComplete(e);
            throw;
        }
        finally
        {
            if (held != null) Context.Release(held);
            while (Input.TryRead(out var left)) Context.Release(left);
            OnStopped();
        }
    }

    /// <summary>
    /// Waits for what the next frame will need before taking it from the input (not timed as work). In live mode
    /// this is what makes the newest frame the one processed: a stage that waited with a frame in hand would
    /// process a stale one.
    /// </summary>
    protected virtual ValueTask ReadyAsync() => default;

    /// <summary>Gives back anything <see cref="ReadyAsync"/> reserved when the loop ends.</summary>
    protected virtual void OnStopped() { }
}
