using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Sinks;

/// <summary>
/// Passes on only the frames from the <paramref name="skip"/>-th one it is given (0-based) to the
/// (<paramref name="skip"/> + <paramref name="take"/>)-th: a chunk of a job decodes a warm-up before its own frames, so
/// recurrent state and temporal smoothing match a single run, and its outputs leave the warm-up out. Counts what it
/// was given, not <see cref="Frame.Index"/> (offline, the two agree). The inner sink belongs to the caller.
/// </summary>
public sealed class FrameWindowSink(IFrameSink inner, long skip, long take = long.MaxValue) : IFrameSink
{
    private long _seen;

    public string Description => $"{inner.Description} ({Window})";

    private string Window => take == long.MaxValue ? $"after the first {skip} frames" : $"frames {skip}–{skip + take - 1} of the run";

    /// <summary>Frames handed on to the inner sink.</summary>
    public long FramesPassed { get; private set; }

    public void Write(Frame frame)
    {
        long position = _seen++;
        if (position < skip || position - skip >= take) return;
        inner.Write(frame);
        FramesPassed++;
    }

    public void Complete() => inner.Complete();

    public void Abort() => inner.Abort();

    /// <summary>The inner sink belongs to the caller, who disposes it.</summary>
    public void Dispose() { }
}
