using System.Diagnostics;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Infer: runs the network on the frame's prepared slot, copies the matte into the frame, and frees the slot
/// for the next frame. Frames arrive in order, so a recurrent model's state flows frame to frame; a scene cut
/// resets it first. A frame marked for reuse gets the previous matte without running the network.
/// Offline mode only: live, the network runs beside the frame path (<see cref="Live.LiveInference"/>).
/// </summary>
internal sealed class InferenceStage(PipelineContext context) : FrameStage("infer", context)
{
    private readonly FloatPlane _last = new(1, 1);
    private bool _haveLast;
    private long _lastIndex = -1;

    protected override ValueTask ProcessAsync(Frame frame)
    {
        if (frame.ReuseMatte && _haveLast)
        {
            Copy(_last, frame.Matte);
            frame.MatteFrom = _lastIndex;
            return default;
        }
        if (frame.Slot < 0) throw new InvalidOperationException($"frame {frame.Index} reached inference without a prepared slot");
        var model = Context.Model;
        if (frame.SceneCut) model.ResetState();
        long start = Stopwatch.GetTimestamp();
        model.Infer(frame.Slot);
        var output = model.Read(frame.Slot);
        frame.InferenceTicks = Stopwatch.GetTimestamp() - start;
        Copy(output.Alpha, frame.Matte);
        Copy(output.Alpha, _last);
        _haveLast = true;
        frame.MatteFrom = _lastIndex = frame.Index;
        Context.FreeSlots.Writer.TryWrite(frame.Slot);
        frame.Slot = -1;
        return default;
    }

    /// <summary>Copies a plane, resizing the target (this allocates only the first time a size is seen).</summary>
    private static void Copy(FloatPlane from, FloatPlane to)
    {
        to.Resize(from.Width, from.Height);
        Array.Copy(from.Data, to.Data, from.Width * from.Height);
    }
}
