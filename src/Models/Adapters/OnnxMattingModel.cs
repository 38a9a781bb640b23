using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using Microsoft.ML.OnnxRuntime.Tensors;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Models.Adapters;

/// <summary>
/// What every ONNX-backed adapter shares: the session, the frame-size bookkeeping, and the rule that all
/// per-size allocations happen in <see cref="OnConfigure"/>. Subclasses own their slots' tensors and bindings.
/// </summary>
public abstract class OnnxMattingModel : IMattingModel
{
    public const int SlotCount = 2;

    protected OnnxMattingModel(OrtSession session) => Session = session;

    public OrtSession Session { get; }
    public string Name => Session.ModelName;
    public abstract string Family { get; }
    public abstract ModelCapabilities Capabilities { get; }
    public string Provider => Session.Provider;
    public (int Width, int Height)? FrameSize { get; private set; }
    public (int Width, int Height) InputSize { get; protected set; }

    public void Configure(int frameWidth, int frameHeight)
    {
        if (FrameSize == (frameWidth, frameHeight)) return;
        ReleaseSlots();
        OnConfigure(frameWidth, frameHeight);
        FrameSize = (frameWidth, frameHeight);
    }

    public void Prepare(RgbImage frame, int slot)
    {
        if (FrameSize != (frame.Width, frame.Height))
            throw new InvalidOperationException($"{Name} is configured for {FrameSize} frames; got {frame}: call Configure first");
        OnPrepare(frame, CheckSlot(slot));
    }

    public void Infer(int slot) => OnInfer(CheckSlot(slot));
    public MatteOutput Read(int slot) => OnRead(CheckSlot(slot));
    public virtual void ResetState() { }

    protected abstract void OnConfigure(int frameWidth, int frameHeight);
    protected abstract void OnPrepare(RgbImage frame, int slot);
    protected abstract void OnInfer(int slot);
    protected abstract MatteOutput OnRead(int slot);

    /// <summary>Frees the tensors and bindings of the current frame size.</summary>
    protected abstract void ReleaseSlots();

    private int CheckSlot(int slot)
    {
        if (FrameSize is null) throw new InvalidOperationException($"{Name} is not configured: call Configure(width, height) first");
        if ((uint)slot >= SlotCount) throw new ArgumentOutOfRangeException(nameof(slot), slot, "slots are 0 and 1");
        return slot;
    }

    /// <summary>Throws <see cref="ModelContractException"/> unless the model has an input/output of this name, type and rank.</summary>
    protected static TensorInfo Expect(IReadOnlyList<TensorInfo> infos, string name, int rank, string family, OrtSession session, string what)
    {
        var info = infos.FirstOrDefault(i => i.Name == name);
        if (info is null || info.ElementType != TensorElementType.Float || info.Rank != rank)
            throw new ModelContractException(
                $"'{session.ModelName}' does not fit the {family} adapter: it needs a float32 {what} '{name}' of rank {rank}. " +
                $"The model has inputs {Describe(session.Inputs)} and outputs {Describe(session.Outputs)}.");
        return info;
    }

    protected static string Describe(IReadOnlyList<TensorInfo> infos) => "[" + string.Join("; ", infos) + "]";

    public void Dispose()
    {
        ReleaseSlots();
        Session.Dispose();
        GC.SuppressFinalize(this);
    }
}
