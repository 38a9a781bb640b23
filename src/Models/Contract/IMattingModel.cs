using StreamMatte.Imaging;

namespace StreamMatte.Models.Contract;

/// <summary>What a model can give beyond a whole-frame person matte.</summary>
[Flags]
public enum ModelCapabilities
{
    Alpha = 1,
    /// <summary>Foreground colour (free of the old background's spill) for compositing.</summary>
    Foreground = 2,
    /// <summary>One mask per person.</summary>
    Instances = 4,
    /// <summary>State carried from frame to frame (reset on scene cuts and size changes).</summary>
    Recurrent = 8,
    /// <summary>A segmentation network: a coarse person probability rather than a true alpha matte.</summary>
    Segmentation = 16,
}

/// <summary>
/// "Frame in, matte out". A model is configured once per frame size (all per-size work — tensor shapes,
/// resampling tables, IoBindings — happens there) and then runs frames without allocating.
/// Two slots give double buffering: the pipeline prepares frame t+1 into one slot while frame t runs in the
/// other. Calls for one slot are ordered Prepare → Infer → Read; <see cref="Infer"/> calls are serialised by
/// the caller, in frame order (a recurrent model's state flows from one call to the next).
/// <code>
/// using var model = ModelCatalog.Open("rvm_mobilenetv3_fp32.onnx");
/// MatteOutput matte = model.Process(frame);   // slot 0: Prepare, Infer, Read
/// </code>
/// </summary>
public interface IMattingModel : IDisposable
{
    /// <summary>The model's name (its file name) and the family of its adapter, e.g. "Robust Video Matting".</summary>
    string Name { get; }
    string Family { get; }
    ModelCapabilities Capabilities { get; }

    /// <summary>The execution provider that really runs the model.</summary>
    string Provider { get; }

    /// <summary>The current frame size, or null before the first <see cref="Configure"/>.</summary>
    (int Width, int Height)? FrameSize { get; }

    /// <summary>Network input size for the current frame size (after <see cref="Configure"/>).</summary>
    (int Width, int Height) InputSize { get; }

    /// <summary>Prepares for frames of this size; a no-op if already configured for it. Resets recurrent state on a change.</summary>
    void Configure(int frameWidth, int frameHeight);

    /// <summary>Preprocesses <paramref name="frame"/> into the input tensors of <paramref name="slot"/> (0 or 1).</summary>
    void Prepare(RgbImage frame, int slot);

    /// <summary>Runs the network on the slot's prepared input.</summary>
    void Infer(int slot);

    /// <summary>Decodes the slot's outputs. The returned object belongs to the model and is rewritten when the slot is reused.</summary>
    MatteOutput Read(int slot);

    /// <summary>Forgets the recurrent state (scene cut). A no-op for per-frame models.</summary>
    void ResetState();
}

public static class MattingModelExtensions
{
    /// <summary>One frame through slot 0: configure (if the size changed), prepare, infer, read.</summary>
    public static MatteOutput Process(this IMattingModel model, RgbImage frame)
    {
        model.Configure(frame.Width, frame.Height);
        model.Prepare(frame, 0);
        model.Infer(0);
        return model.Read(0);
    }
}
