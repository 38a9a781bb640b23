using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Models.Adapters;

/// <summary>
/// YOLOv8-seg person instances: letterboxed square input (pad 114), <c>output0</c> [1, 4+classes+32, anchors]
/// (box cx, cy, w, h normalised to the input; class scores after sigmoid; mask coefficients) and <c>protos</c>
/// [1, 32, h/4, w/4]. Decoding keeps class 0 (person), applies NMS, and builds each kept person's mask as
/// sigmoid(coefficients · protos) cropped to its box. The whole-frame α is the union of the masks.
/// All buffers are sized at configuration; decoding a frame allocates nothing.
/// </summary>
public sealed class YoloV8SegModel : OnnxMattingModel
{
    public const string FamilyName = "YOLOv8-seg instances";
    private const int MaskCoefficients = 32;
    public const int MaxPeople = 20;

    public float ScoreThreshold { get; init; } = 0.35f;
    public float NmsIou { get; init; } = 0.5f;

    private readonly int _inputSize, _anchors, _classes, _protoSize;
    private SetUp? _now;
    private readonly int[] _candidates, _kept;
    private readonly float[] _candidateScores;

    private sealed class Slot(PinnedTensor<float> images, PinnedTensor<float> output0, PinnedTensor<float> protos, SessionBinding binding, MatteOutput matte) : IDisposable
    {
        public PinnedTensor<float> Images { get; } = images;
        public PinnedTensor<float> Output0 { get; } = output0;
        public PinnedTensor<float> Protos { get; } = protos;
        public SessionBinding Binding { get; } = binding;
        public MatteOutput Matte { get; } = matte;

        public void Dispose()
        {
            Binding.Dispose();   // first: it refers to the tensors
            Images.Dispose();
            Output0.Dispose();
            Protos.Dispose();
        }
    }

    /// <summary>One frame size's letterbox (where the frame sits in the square input, and its scale) and slots.</summary>
    private sealed class SetUp : SizeSetUp
    {
        public required TensorResampler Resampler { get; init; }
        public required (int X, int Y, int Width, int Height) Roi { get; init; }
        public required float Scale { get; init; }
        public required Slot[] Slots { get; init; }

        public override void Dispose()
        {
            foreach (var s in Slots) s.Dispose();
        }
    }

    public YoloV8SegModel(OrtSession session) : base(session)
    {
        var images = Expect(session.Inputs, "images", 4, FamilyName, session, "input");
        var output0 = Expect(session.Outputs, "output0", 3, FamilyName, session, "output");
        var protos = Expect(session.Outputs, "protos", 4, FamilyName, session, "output");
        if (images.Shape[2] <= 0 || images.Shape[2] != images.Shape[3] || output0.Shape[1] <= 4 + MaskCoefficients
            || output0.Shape[2] <= 0 || protos.Shape[1] != MaskCoefficients || protos.Shape[2] <= 0)
            throw new ModelContractException(
                $"'{session.ModelName}' does not fit the {FamilyName} adapter: it needs a square fixed input and outputs " +
                $"output0 [1,4+classes+32,anchors] and protos [1,32,h,w]; the model has {Describe(session.Inputs)} → {Describe(session.Outputs)}.");
        _inputSize = (int)images.Shape[2];
        _classes = (int)output0.Shape[1] - 4 - MaskCoefficients;
        _anchors = (int)output0.Shape[2];
        _protoSize = (int)protos.Shape[2];
        _candidates = new int[_anchors];
        _candidateScores = new float[_anchors];
        _kept = new int[MaxPeople];
    }

    public override string Family => FamilyName;
    public override ModelCapabilities Capabilities =>
        ModelCapabilities.Alpha | ModelCapabilities.Instances | ModelCapabilities.Segmentation;

    protected override SizeSetUp CreateSetUp(int frameWidth, int frameHeight)
    {
        var roi = Letterbox.Fit(frameWidth, frameHeight, _inputSize, _inputSize);
        var resampler = new TensorResampler(frameWidth, frameHeight, _inputSize, _inputSize, TensorLayout.Nchw,
            ChannelOrder.Rgb, PixelNormalization.ZeroToOne, roi, padPixel: 114);
        int ratio = _inputSize / _protoSize;
        int maskW = Math.Max(1, roi.Width / ratio), maskH = Math.Max(1, roi.Height / ratio);
        var slots = new Slot[SlotCount];
        for (int s = 0; s < SlotCount; s++)
        {
            var images = new PinnedTensor<float>([1, 3, _inputSize, _inputSize]);
            var output0 = new PinnedTensor<float>([1, 4 + _classes + MaskCoefficients, _anchors]);
            var protos = new PinnedTensor<float>([1, MaskCoefficients, _protoSize, _protoSize]);
            var binding = Session.CreateBinding();
            binding.BindInput("images", images);
            binding.BindOutput("output0", output0);
            binding.BindOutput("protos", protos);
            slots[s] = new Slot(images, output0, protos, binding, new MatteOutput(maskW, maskH, MaxPeople));
        }
        return new SetUp { InputSize = (_inputSize, _inputSize), Resampler = resampler, Roi = roi, Scale = (float)roi.Width / frameWidth, Slots = slots };
    }

    protected override void Use(SizeSetUp setUp) => _now = (SetUp)setUp;

    protected override void OnPrepare(RgbImage frame, int slot) => _now!.Resampler.Fill(frame, _now.Slots[slot].Images.Span);

    protected override void OnInfer(int slot) => _now!.Slots[slot].Binding.Run();

    protected override MatteOutput OnRead(int slot)
    {
        var s = _now!.Slots[slot];
        ReadOnlySpan<float> o = s.Output0.Span;
        int n = _anchors;

        // Person candidates above the threshold, best first (insertion sort: a handful of candidates).
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            float score = o[4 * n + i];
            if (score < ScoreThreshold) continue;
            int j = count++;
            while (j > 0 && _candidateScores[j - 1] < score)
            {
                _candidateScores[j] = _candidateScores[j - 1];
                _candidates[j] = _candidates[j - 1];
                j--;
            }
            _candidateScores[j] = score;
            _candidates[j] = i;
        }

        // Greedy NMS.
        int kept = 0;
        for (int c = 0; c < count && kept < MaxPeople; c++)
        {
            int i = _candidates[c];
            bool suppressed = false;
            for (int k = 0; k < kept && !suppressed; k++) suppressed = Iou(o, n, i, _kept[k]) > NmsIou;
            if (!suppressed) _kept[kept++] = i;
        }

        var matte = s.Matte;
        matte.Alpha.Data.AsSpan().Clear();
        for (int k = 0; k < kept; k++) BuildInstance(o, n, s.Protos.Span, _kept[k], matte.InstanceSlot(k), matte.Alpha);
        matte.InstanceCount = kept;
        return matte;
    }

    private static float Iou(ReadOnlySpan<float> o, int n, int a, int b)
    {
        float ax0 = o[a] - o[2 * n + a] / 2, ay0 = o[n + a] - o[3 * n + a] / 2, ax1 = o[a] + o[2 * n + a] / 2, ay1 = o[n + a] + o[3 * n + a] / 2;
        float bx0 = o[b] - o[2 * n + b] / 2, by0 = o[n + b] - o[3 * n + b] / 2, bx1 = o[b] + o[2 * n + b] / 2, by1 = o[n + b] + o[3 * n + b] / 2;
        float iw = Math.Max(0, Math.Min(ax1, bx1) - Math.Max(ax0, bx0)), ih = Math.Max(0, Math.Min(ay1, by1) - Math.Max(ay0, by0));
        float inter = iw * ih;
        float union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter;
        return union > 0 ? inter / union : 0;
    }

    private void BuildInstance(ReadOnlySpan<float> o, int n, ReadOnlySpan<float> protos, int anchor, PersonInstance person, FloatPlane union)
    {
        // Box: normalised to the input → input pixels → frame pixels (undo the letterbox).
        float cx = o[anchor] * _inputSize, cy = o[n + anchor] * _inputSize, bw = o[2 * n + anchor] * _inputSize, bh = o[3 * n + anchor] * _inputSize;
        float x0 = cx - bw / 2, y0 = cy - bh / 2;
        person.Score = o[4 * n + anchor];
        var (roi, scale) = (_now!.Roi, _now.Scale);
        person.Box = ((x0 - roi.X) / scale, (y0 - roi.Y) / scale, bw / scale, bh / scale);

        float ratio = (float)_inputSize / _protoSize;
        int plane = _protoSize * _protoSize;
        int roiX = (int)(_now!.Roi.X / ratio), roiY = (int)(_now.Roi.Y / ratio);
        float bx0 = x0 / ratio, by0 = y0 / ratio, bx1 = (x0 + bw) / ratio, by1 = (y0 + bh) / ratio;
        var mask = person.Mask;
        int coefficients = (4 + _classes) * n + anchor;
        for (int y = 0; y < mask.Height; y++)
        {
            var row = mask.Row(y);
            var unionRow = union.Row(y);
            int py = y + roiY;
            for (int x = 0; x < mask.Width; x++)
            {
                int px = x + roiX;
                float value = 0;
                if (px + 0.5f >= bx0 && px + 0.5f <= bx1 && py + 0.5f >= by0 && py + 0.5f <= by1)
                {
                    float sum = 0;
                    int p = py * _protoSize + px;
                    for (int k = 0; k < MaskCoefficients; k++) sum += o[coefficients + k * n] * protos[k * plane + p];
                    value = 1f / (1f + MathF.Exp(-sum));
                }
                row[x] = value;
                if (value > unionRow[x]) unionRow[x] = value;
            }
        }
    }
}
