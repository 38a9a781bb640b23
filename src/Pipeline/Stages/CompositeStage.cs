using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Stages;

/// <summary>Composite: the new picture, in place over the frame, at full resolution.</summary>
internal sealed class CompositeStage(PipelineContext context, Compositor compositor) : FrameStage("composite", context)
{
    protected override ValueTask ProcessAsync(Frame frame)
    {
        compositor.Apply(frame.Image, frame.Alpha, frame.Small, frame.Matte);
        return default;
    }
}
