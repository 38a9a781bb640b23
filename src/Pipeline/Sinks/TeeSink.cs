using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Sinks;

/// <summary>Several outputs of one run (e.g. the composite and the matte alone), each given every frame in turn.</summary>
public sealed class TeeSink(IReadOnlyList<IFrameSink> sinks) : IFrameSink
{
    public string Description => string.Join("; ", sinks.Select(s => s.Description));

    public void Write(Frame frame)
    {
        foreach (var sink in sinks) sink.Write(frame);
    }

    public void Complete()
    {
        foreach (var sink in sinks) sink.Complete();
    }

    public void Abort()
    {
        foreach (var sink in sinks) sink.Abort();
    }

    /// <summary>The sinks belong to the caller, who disposes them.</summary>
    public void Dispose() { }
}
