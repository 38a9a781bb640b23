using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Models.Adapters;

/// <summary>
/// Robust Video Matting (MobileNetV3): the frame at full size goes in with a downsample ratio chosen from the
/// frame size, α and foreground come out at full size (RVM refines internally), and four recurrent states
/// are carried from frame to frame.
/// <para>
/// The states live in two sets of pinned tensors, A and B. A run that reads A writes B and the next reads B
/// and writes A, so the state never gets copied. Each slot therefore has two IoBindings, one per direction,
/// and <see cref="Infer"/> picks the one that reads the newest state; the slots can alternate in any order.
/// </para>
/// </summary>
public sealed class RobustVideoMattingModel : OnnxMattingModel
{
    public const string FamilyName = "Robust Video Matting";
    private static readonly string[] StateInputs = ["r1i", "r2i", "r3i", "r4i"];
    private static readonly string[] StateOutputs = ["r1o", "r2o", "r3o", "r4o"];

    /// <summary>RVM's guidance: run the network's own resolution near 512 px on the long side.</summary>
    public const int InternalLongSide = 512;

    private SetUp? _now;
    private int _newestState;

    private sealed class Slot(PinnedTensor<float> src, PinnedTensor<float> fgr, PinnedTensor<float> pha, SessionBinding[] bindings, MatteOutput matte) : IDisposable
    {
        public PinnedTensor<float> Source { get; } = src;
        public PinnedTensor<float> Foreground { get; } = fgr;
        public PinnedTensor<float> Alpha { get; } = pha;
        public SessionBinding[] Bindings { get; } = bindings; // [state set read]
        public MatteOutput Matte { get; } = matte;

        public void Dispose()
        {
            foreach (var b in Bindings) b.Dispose();   // first: they refer to the tensors
            Source.Dispose();
            Foreground.Dispose();
            Alpha.Dispose();
        }
    }

    /// <summary>One frame size's resampler, downsample ratio, the two recurrent state sets (read one, write the other) and slots.</summary>
    private sealed class SetUp : SizeSetUp
    {
        public required TensorResampler ToTensor { get; init; }
        public required PinnedTensor<float> Ratio { get; init; }
        public required PinnedTensor<float>[][] States { get; init; }   // [set][r1..r4]
        public required Slot[] Slots { get; init; }

        public override void Dispose()
        {
            foreach (var s in Slots) s.Dispose();
            foreach (var set in States) foreach (var t in set) t.Dispose();
            Ratio.Dispose();
        }
    }

    public RobustVideoMattingModel(OrtSession session) : base(session)
    {
        Expect(session.Inputs, "src", 4, FamilyName, session, "input");
        foreach (var name in StateInputs) Expect(session.Inputs, name, 4, FamilyName, session, "input");
        Expect(session.Inputs, "downsample_ratio", 1, FamilyName, session, "input");
        Expect(session.Outputs, "fgr", 4, FamilyName, session, "output");
        Expect(session.Outputs, "pha", 4, FamilyName, session, "output");
        foreach (var name in StateOutputs) Expect(session.Outputs, name, 4, FamilyName, session, "output");
    }

    public override string Family => FamilyName;
    public override ModelCapabilities Capabilities =>
        ModelCapabilities.Alpha | ModelCapabilities.Foreground | ModelCapabilities.Recurrent;

    /// <summary>The downsample ratio in use: min(1, 512 / long side).</summary>
    public float DownsampleRatio { get; private set; } = 1;

    public static float RatioFor(int width, int height) => Math.Min(1f, (float)InternalLongSide / Math.Max(width, height));

    protected override SizeSetUp CreateSetUp(int frameWidth, int frameHeight)
    {
        float downsampleRatio = RatioFor(frameWidth, frameHeight);
        var toTensor = new TensorResampler(frameWidth, frameHeight, frameWidth, frameHeight, TensorLayout.Nchw,
            ChannelOrder.Rgb, PixelNormalization.ZeroToOne);
        var ratio = new PinnedTensor<float>([1]);
        ratio.Span[0] = downsampleRatio;

        // One run with ORT-allocated outputs tells the state shapes for this frame size.
        long[] srcShape = [1, 3, frameHeight, frameWidth];
        var probeInputs = new List<PinnedTensor>();
        try
        {
            foreach (var info in Session.Inputs)
                probeInputs.Add(info.Name switch
                {
                    "src" => new PinnedTensor<float>(srcShape),
                    "downsample_ratio" => new PinnedTensor<float>(new[] { downsampleRatio }, [1]),
                    _ => new PinnedTensor<float>([1, 1, 1, 1]),
                });
            var probe = Session.RunAndCopy(probeInputs.ToArray()).ToDictionary(o => o.Name);
            var states = new PinnedTensor<float>[2][];
            for (int set = 0; set < 2; set++)
                states[set] = StateOutputs.Select(n => new PinnedTensor<float>(probe[n].Shape)).ToArray();
            var slots = new Slot[SlotCount];
            for (int s = 0; s < SlotCount; s++)
            {
                var src = new PinnedTensor<float>(srcShape);
                var fgr = new PinnedTensor<float>(probe["fgr"].Shape);
                var pha = new PinnedTensor<float>(probe["pha"].Shape);
                var bindings = new SessionBinding[2];
                for (int read = 0; read < 2; read++)
                {
                    var b = Session.CreateBinding();
                    b.BindInput("src", src);
                    b.BindInput("downsample_ratio", ratio);
                    b.BindOutput("fgr", fgr);
                    b.BindOutput("pha", pha);
                    for (int k = 0; k < 4; k++)
                    {
                        b.BindInput(StateInputs[k], states[read][k]);
                        b.BindOutput(StateOutputs[k], states[1 - read][k]);
                    }
                    bindings[read] = b;
                    b.Run();   // a shape's working memory is planned on its first bound run: at set-up, not mid-run (see SegmentationModel)
                }
                int outW = (int)probe["pha"].Shape[3], outH = (int)probe["pha"].Shape[2];
                // α is read straight from the output tensor's pinned buffer ([1,1,H,W] is one plane): no copy per frame.
                slots[s] = new Slot(src, fgr, pha, bindings, new MatteOutput(new FloatPlane(outW, outH, pha.Buffer), foreground: true));
            }
            return new SetUp { InputSize = (frameWidth, frameHeight), ToTensor = toTensor, Ratio = ratio, States = states, Slots = slots };
        }
        finally
        {
            foreach (var t in probeInputs) t.Dispose();
        }
    }

    /// <summary>A size change starts the recurrent state afresh: the state of another size (or of long ago) is not this video's.</summary>
    protected override void Use(SizeSetUp setUp)
    {
        _now = (SetUp)setUp;
        DownsampleRatio = _now.Ratio.Span[0];
        ResetState();
    }

    protected override void OnPrepare(RgbImage frame, int slot) => _now!.ToTensor.Fill(frame, _now.Slots[slot].Source.Span);

    protected override void OnInfer(int slot)
    {
        _now!.Slots[slot].Bindings[_newestState].Run();
        _newestState = 1 - _newestState;
    }

    protected override MatteOutput OnRead(int slot)
    {
        var s = _now!.Slots[slot];
        int plane = s.Matte.Alpha.Width * s.Matte.Alpha.Height;
        var fgr = s.Foreground.Span;
        for (int c = 0; c < 3; c++) fgr.Slice(c * plane, plane).CopyTo(s.Matte.Foreground![c].Data);
        return s.Matte;
    }

    /// <summary>Zero state is what RVM starts from (its [1,1,1,1] zeros broadcast to the same thing).</summary>
    public override void ResetState()
    {
        if (_now is null) return;
        foreach (var set in _now.States) foreach (var t in set) t.Span.Clear();
        _newestState = 0;
    }
}
