using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Models.Adapters;

/// <summary>
/// Any per-frame network with one image input and one person-map output, run from its
/// <see cref="SegmentationSpec"/> (MediaPipe selfie, Meet, PP-HumanSeg, SINet, and our own student).
/// </summary>
public sealed class SegmentationModel : OnnxMattingModel
{
    private readonly SegmentationSpec _spec;
    private SetUp? _now;

    private sealed class Slot(PinnedTensor<float> input, PinnedTensor<float> output, SessionBinding binding, MatteOutput matte) : IDisposable
    {
        public PinnedTensor<float> Input { get; } = input;
        public PinnedTensor<float> Output { get; } = output;
        public SessionBinding Binding { get; } = binding;
        public MatteOutput Matte { get; } = matte;

        public void Dispose()
        {
            Binding.Dispose();   // first: it refers to the tensors
            Input.Dispose();
            Output.Dispose();
        }
    }

    /// <summary>One frame size's resampler into the input tensor, the output's region that is the frame, and the slots.</summary>
    private sealed class SetUp : SizeSetUp
    {
        public required TensorResampler Resampler { get; init; }
        public required (int X, int Y, int Width, int Height) OutputRoi { get; init; }
        public required Slot[] Slots { get; init; }

        public override void Dispose()
        {
            foreach (var s in Slots) s.Dispose();
        }
    }

    public SegmentationModel(OrtSession session, SegmentationSpec spec) : base(session)
    {
        _spec = spec;
        if (session.Inputs.Count != 1 || session.Outputs.Count != 1)
            throw new ModelContractException(
                $"'{session.ModelName}' does not fit the {spec.Family} adapter: it needs one image input and one output; " +
                $"the model has inputs {Describe(session.Inputs)} and outputs {Describe(session.Outputs)}.");
        Expect(session.Inputs, session.Inputs[0].Name, 4, spec.Family, session, "input");
        Expect(session.Outputs, session.Outputs[0].Name, 4, spec.Family, session, "output");
        var (w, h) = spec.Size.For(640, 360);
        var declared = session.Inputs[0].Shape;
        long[] wanted = InputShape(w, h);
        for (int i = 1; i < 4; i++)
            if (declared[i] >= 0 && spec.Size is InputSizePolicy.Fixed && declared[i] != wanted[i])
                throw new ModelContractException(
                    $"'{session.ModelName}' does not fit the {spec.Family} adapter: it expects input [{string.Join(",", wanted)}] " +
                    $"({spec.Layout}), the model declares {session.Inputs[0]}.");
    }

    public SegmentationSpec Spec => _spec;
    public override string Family => _spec.Family;
    public override ModelCapabilities Capabilities =>
        _spec.IsTrueMatte ? ModelCapabilities.Alpha : ModelCapabilities.Alpha | ModelCapabilities.Segmentation;

    private long[] InputShape(int w, int h) =>
        _spec.Layout == TensorLayout.Nchw ? [1, 3, h, w] : [1, h, w, 3];

    protected override SizeSetUp CreateSetUp(int frameWidth, int frameHeight)
    {
        var (w, h) = _spec.Size.For(frameWidth, frameHeight);
        (int X, int Y, int Width, int Height)? roi = null;
        float pad = 0;
        if (_spec.Size is InputSizePolicy.Fixed { Letterbox: true } fixedSize)
        {
            roi = Letterbox.Fit(frameWidth, frameHeight, w, h);
            pad = fixedSize.PadPixel;
        }
        var resampler = new TensorResampler(frameWidth, frameHeight, w, h, _spec.Layout, _spec.Order, _spec.Normalization, roi, pad);

        // Learn the output shape for this input size once (also a warm-up run).
        long[] outShape;
        using (var probeInput = new PinnedTensor<float>(InputShape(w, h)))
            outShape = Session.RunAndCopy([probeInput])[0].Shape;
        int outH = (int)(_spec.Decoding.Layout == TensorLayout.Nchw ? outShape[2] : outShape[1]);
        int outW = (int)(_spec.Decoding.Layout == TensorLayout.Nchw ? outShape[3] : outShape[2]);
        var r = roi ?? (0, 0, w, h);
        (int X, int Y, int Width, int Height) outputRoi = ((int)((long)r.X * outW / w), (int)((long)r.Y * outH / h),
            Math.Max(1, (int)((long)r.Width * outW / w)), Math.Max(1, (int)((long)r.Height * outH / h)));
        var slots = new Slot[SlotCount];
        for (int s = 0; s < SlotCount; s++)
        {
            var input = new PinnedTensor<float>(InputShape(w, h));
            var output = new PinnedTensor<float>(outShape);
            var binding = Session.CreateBinding();
            binding.BindInput(0, input);
            binding.BindOutput(0, output);
            slots[s] = new Slot(input, output, binding, new MatteOutput(outputRoi.Width, outputRoi.Height));
            // ONNX Runtime plans and allocates a shape's working memory on its first bound run, not on the probe above:
            // run now, at set-up. Live mode sets up every size it may use before the first frame, and without this its
            // resident memory rose 19-27 MB at the run's first size changes (our student, 720p, six sizes: 150 MB after
            // the set-up, 176 after one bound run at each, then 177-179 MB over 72 changes).
            binding.Run();
        }
        return new SetUp { InputSize = (w, h), Resampler = resampler, OutputRoi = outputRoi, Slots = slots };
    }

    protected override void Use(SizeSetUp setUp) => _now = (SetUp)setUp;

    protected override void OnPrepare(RgbImage frame, int slot) => _now!.Resampler.Fill(frame, _now.Slots[slot].Input.Span);

    protected override void OnInfer(int slot) => _now!.Slots[slot].Binding.Run();

    protected override MatteOutput OnRead(int slot)
    {
        var s = _now!.Slots[slot];
        var roi = _now.OutputRoi;
        var shape = s.Output.Shape;
        int outH = (int)(_spec.Decoding.Layout == TensorLayout.Nchw ? shape[2] : shape[1]);
        int outW = (int)(_spec.Decoding.Layout == TensorLayout.Nchw ? shape[3] : shape[2]);
        int plane = outW * outH;
        ReadOnlySpan<float> output = s.Output.Span;
        var alpha = s.Matte.Alpha;
        for (int y = 0; y < alpha.Height; y++)
        {
            var row = alpha.Row(y);
            int rowStart = (y + roi.Y) * outW + roi.X;
            for (int x = 0; x < row.Length; x++)
                row[x] = Math.Clamp(_spec.Decoding.Decode(output, rowStart + x, plane), 0f, 1f);
        }
        return s.Matte;
    }
}

/// <summary>Letterbox placement: the frame scaled to fit inside the input, centred.</summary>
public static class Letterbox
{
    public static (int X, int Y, int Width, int Height) Fit(int frameWidth, int frameHeight, int width, int height)
    {
        double scale = Math.Min((double)width / frameWidth, (double)height / frameHeight);
        int w = Math.Max(1, (int)Math.Round(frameWidth * scale));
        int h = Math.Max(1, (int)Math.Round(frameHeight * scale));
        return ((width - w) / 2, (height - h) / 2, w, h);
    }
}
