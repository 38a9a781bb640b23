using System.Diagnostics;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Sinks;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Output: hands the finished frame to the sink and measures its latency from arrival (the whole pipeline)
/// and that latency minus the network's own time (what the pipeline adds). The last owner of every frame:
/// after the sink has it, it goes back to the pool.
/// </summary>
internal sealed class SinkStage(PipelineContext context, IFrameSink sink) : FrameStage("output", context)
{
    public StageStats Latency { get; } = new("latency");
    public StageStats AddedLatency { get; } = new("latency beyond inference");
    public long FramesWritten { get; private set; }
    public long LastIndex { get; private set; } = -1;

    protected override ValueTask ProcessAsync(Frame frame)
    {
        if (frame.Index <= LastIndex) throw new InvalidOperationException($"frame {frame.Index} arrived after frame {LastIndex}: order lost");
        sink.Write(frame);
        long now = Stopwatch.GetTimestamp();
        Latency.Record(frame.ArrivedAt, now);
        AddedLatency.Record(frame.ArrivedAt + frame.InferenceTicks, now);
        FramesWritten++;
        LastIndex = frame.Index;
        return default;
    }
}
