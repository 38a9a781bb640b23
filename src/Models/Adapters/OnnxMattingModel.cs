using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using Microsoft.ML.OnnxRuntime.Tensors;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Models.Adapters;

/// <summary>
/// What every ONNX-backed adapter shares: the session, the frame-size bookkeeping, and the rule that all
/// per-size allocations happen in <see cref="CreateSetUp"/>. Each frame size's set-up (the slots' tensors and bindings,
/// the resampler) is kept once made, a few sizes at most: live mode's automatic size moves the network between the
/// sizes of a ladder, and going back to a size then allocates nothing (<see cref="Configure"/>).
/// </summary>
public abstract class OnnxMattingModel : IMattingModel
{
    public const int SlotCount = 2;

    /// <summary>What an adapter makes for one frame size; disposed when it is dropped or the model is.</summary>
    protected abstract class SizeSetUp : IDisposable
    {
        /// <summary>The network input this frame size is given.</summary>
        public required (int Width, int Height) InputSize { get; init; }
        public abstract void Dispose();
    }

    private readonly PerSize<(int, int), SizeSetUp> _setUps = new();

    protected OnnxMattingModel(OrtSession session) => Session = session;

    public OrtSession Session { get; }
    public string Name => Session.ModelName;
    public abstract string Family { get; }
    public abstract ModelCapabilities Capabilities { get; }
    public string Provider => Session.Provider;
    public (int Width, int Height)? FrameSize { get; private set; }
    public (int Width, int Height) InputSize { get; private set; }

    /// <summary>
    /// Gets ready for frames of this size: the set-up made for it before, or a new one (tensors, bindings, a probe
    /// run). The recurrent state, if any, starts afresh when the size changes.
    /// </summary>
    public void Configure(int frameWidth, int frameHeight)
    {
        if (FrameSize == (frameWidth, frameHeight)) return;
        if (!_setUps.TryGet((frameWidth, frameHeight), out var setUp))
            setUp = _setUps.Add((frameWidth, frameHeight), CreateSetUp(frameWidth, frameHeight));
        InputSize = setUp.InputSize;
        FrameSize = (frameWidth, frameHeight);
        Use(setUp);
    }

    /// <summary>Frame sizes whose set-up is kept now.</summary>
    public int KeptSizes => _setUps.Count;

    public void Prepare(RgbImage frame, int slot)
    {
        if (FrameSize != (frame.Width, frame.Height))
            throw new InvalidOperationException($"{Name} is configured for {FrameSize} frames; got {frame}: call Configure first");
        OnPrepare(frame, CheckSlot(slot));
    }

    public void Infer(int slot) => OnInfer(CheckSlot(slot));
    public MatteOutput Read(int slot) => OnRead(CheckSlot(slot));
    public virtual void ResetState() { }

    /// <summary>Makes the set-up for one frame size (set-up time).</summary>
    protected abstract SizeSetUp CreateSetUp(int frameWidth, int frameHeight);

    /// <summary>Switches to <paramref name="setUp"/>, made by this adapter's <see cref="CreateSetUp"/>.</summary>
    protected abstract void Use(SizeSetUp setUp);
    protected abstract void OnPrepare(RgbImage frame, int slot);
    protected abstract void OnInfer(int slot);
    protected abstract MatteOutput OnRead(int slot);

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
        _setUps.Clear();
        Session.Dispose();
        GC.SuppressFinalize(this);
    }
}
