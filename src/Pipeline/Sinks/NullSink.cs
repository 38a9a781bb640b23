using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Sinks;

/// <summary>Discards frames (<c>--output null</c>): measures the pipeline without an encoder.</summary>
public sealed class NullSink : IFrameSink
{
    public string Description => "null (frames discarded)";
    public long FramesWritten { get; private set; }
    public void Write(Frame frame) => FramesWritten++;
    public void Complete() { }
    public void Dispose() { }
}
