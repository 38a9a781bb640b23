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
                if (!Input.TryRead(out held))
                {
                    if (!await Input.WaitToReadAsync().ConfigureAwait(false)) break;
                    continue;
                }
                long start = Stopwatch.GetTimestamp(), cpuStart = ThreadCpuTime.Nanoseconds();
                var work = ProcessAsync(held);
                // Work that finished before returning ran on this thread alone: its CPU time is this thread's.
                double cpuMs = work.IsCompleted && ThreadCpuTime.Available ? (ThreadCpuTime.Nanoseconds() - cpuStart) / 1e6 : double.NaN;
                await work.ConfigureAwait(false);
                Stats.Record(start, Stopwatch.GetTimestamp(), cpuMs);
                var done = held;
                held = null;
                if (!Forwards(done))
                {
                    Stats.CountDrop();
                    Context.Release(done);
                }
                else if (Output is null) Context.Release(done);
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

    /// <summary>Whether a processed frame goes on; false drops it (counted as dropped in front of this stage, and returned to the pool).</summary>
    protected virtual bool Forwards(Frame frame) => true;

    /// <summary>Called once when the loop ends, however it ends (e.g. to tell a node beside the frame path).</summary>
    protected virtual void OnStopped() { }
}
