using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Live;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Live mode's matte for a frame: the newest one the network has finished that is not from a later frame and is of
/// the same scene (<see cref="MatteBoard.TryCopyNewest"/>), copied into the frame; the refine stage then fits it to
/// this frame's own edges (guided filter). It never waits for the network. A frame for which there is no such matte
/// (the first frames, or the first after a cut) is dropped rather than shown unmatted, and counted.
/// With a <see cref="MotionWarp"/>, an earlier frame's matte is first moved by the motion since that frame.
/// Measures the matte's age: frames between a frame and the frame its matte came from, and the time between them.
/// </summary>
internal sealed class LatestMatteStage(PipelineContext context, MatteBoard board, MotionWarp? warp = null) : FrameStage("matte", context)
{
    private readonly MotionLuma _matteFrame = new();   // the luma of the frame the copied matte came from

    /// <summary>Frames between each frame and the frame its matte was computed from (0 = its own).</summary>
    public StageStats AgeFrames { get; } = new("matte age");

    /// <summary>The same in time: arrival of the frame minus arrival of the matte's frame.</summary>
    public StageStats AgeTime { get; } = new("matte age ms");

    protected override ValueTask ProcessAsync(Frame frame)
    {
        if (!board.TryCopyNewest(frame.Index, frame.Scene, frame.Matte, out long from, out long fromArrivedAt, warp is null ? null : _matteFrame)) return default;
        frame.MatteFrom = from;
        // A frame's own matte needs no moving; one published without its frame's luma cannot be moved.
        if (warp != null && from < frame.Index && !_matteFrame.IsEmpty) warp.Apply(frame.Matte, _matteFrame, frame.Small);
        AgeFrames.RecordValue(frame.Index - from);
        AgeTime.Record(fromArrivedAt, frame.ArrivedAt);
        return default;
    }

    protected override bool Forwards(Frame frame) => frame.MatteFrom >= 0;
}
