using System.Diagnostics;
using System.Threading.Channels;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Decode: rents a frame, has the source fill it, stamps its index, timestamp and arrival time, and sends it
/// on. A stop request ends the stream here, so the frames already read still flow through to the sink.
/// </summary>
internal sealed class SourceStage(PipelineContext context, IFrameSource source)
{
    public StageStats Stats { get; } = new("decode");
    public ChannelWriter<Frame> Output { get; set; } = null!;
    public long FramesRead { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var frame = await context.Pool.RentAsync().ConfigureAwait(false);
                long start = Stopwatch.GetTimestamp();
                bool got;
                TimeSpan timestamp;
                try { got = source.Read(frame.Image, out timestamp); }
                catch
                {
                    context.Release(frame);
                    throw;
                }
                if (!got)
                {
                    context.Release(frame);
                    break;
                }
                long now = Stopwatch.GetTimestamp();
                // A live source blocks until the next frame is due: that wait is not decoding time.
                if (!source.IsLive) Stats.Record(start, now);
                frame.Index = FramesRead++;
                frame.Timestamp = timestamp;
                frame.ArrivedAt = now;
                await context.ForwardAsync(Output, frame).ConfigureAwait(false);
            }
            Output.TryComplete();
        }
        catch (Exception e)
        {
            Output.TryComplete(e);
            throw;
        }
    }
}
