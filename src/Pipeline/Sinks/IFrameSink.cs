using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Sinks;

/// <summary>
/// Where finished frames go. <see cref="Write"/> gets the composited picture (<see cref="Frame.Image"/>) and
/// its matte (<see cref="Frame.Alpha"/>); the frame still belongs to the pipeline and must not be kept.
/// <see cref="Complete"/> finishes the output (a file becomes playable); disposing without completing
/// discards it (no half-written file is left behind).
/// </summary>
public interface IFrameSink : IDisposable
{
    /// <summary>A short description for the start-up log, e.g. "out.mp4 (H.264, CRF 18)".</summary>
    string Description { get; }

    void Write(Frame frame);

    void Complete();

    /// <summary>Called from another thread when the run is aborted: stop at once, so a blocked <see cref="Write"/> returns.</summary>
    void Abort() { }
}
