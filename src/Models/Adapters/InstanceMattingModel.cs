using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Models.Adapters;

/// <summary>
/// Our E2E-HIM-lite instance network (training/instance.py): one pass gives every query slot a person
/// probability (<c>scores</c> [1,N]) and a matte (<c>alphas</c> [1,N,H/4,W/4], trimap assembly inside the graph).
/// A slot is a person when its probability is over <see cref="ScoreThreshold"/> and its matte covers more than
/// <see cref="MinimumArea"/> of the picture (the released E2E-HIM's rule, in relative terms). The whole-frame α is the
/// per-pixel sum of the people's mattes, clipped to 1. The network's cost is the same for any number of people.
/// Each person's matte keeps only its main parts (<see cref="MainParts"/>): the network sometimes gives a far, small
/// person's body to the near person's query, which would hand that person's pixels to the wrong number.
/// </summary>
public sealed class InstanceMattingModel : OnnxMattingModel
{
    public const string FamilyName = "stream-matte instances (E2E-HIM-lite)";
    public const string FilePrefix = "stream_matte_instances";

    /// <summary>The long side of the network input: people only need separating here, the detail comes from the student.</summary>
    public int LongSide { get; init; } = 384;
    public float ScoreThreshold { get; init; } = 0.5f;
    public float MinimumArea { get; init; } = 0.002f;

    private const int Stride = 4, Multiple = 32;
    private readonly int _queries;
    private SetUp? _now;
    private readonly int[] _order;

    private sealed class Slot(PinnedTensor<float> image, PinnedTensor<float> scores, PinnedTensor<float> alphas, SessionBinding binding, MatteOutput matte) : IDisposable
    {
        public PinnedTensor<float> Image { get; } = image;
        public PinnedTensor<float> Scores { get; } = scores;
        public PinnedTensor<float> Alphas { get; } = alphas;
        public SessionBinding Binding { get; } = binding;
        public MatteOutput Matte { get; } = matte;

        public void Dispose()
        {
            Binding.Dispose();   // first: it refers to the tensors
            Image.Dispose();
            Scores.Dispose();
            Alphas.Dispose();
        }
    }

    /// <summary>One frame size's resampler, main-part finder and slots.</summary>
    private sealed class SetUp : SizeSetUp
    {
        public required TensorResampler Resampler { get; init; }
        public required MainParts MainParts { get; init; }
        public required Slot[] Slots { get; init; }

        public override void Dispose()
        {
            foreach (var s in Slots) s.Dispose();
        }
    }

    public InstanceMattingModel(OrtSession session) : base(session)
    {
        Expect(session.Inputs, "image", 4, FamilyName, session, "input");
        var scores = Expect(session.Outputs, "scores", 2, FamilyName, session, "output");
        Expect(session.Outputs, "alphas", 4, FamilyName, session, "output");
        if (scores.Shape[1] <= 0)
            throw new ModelContractException($"'{session.ModelName}' does not declare its number of query slots (scores [1,N] with N fixed); re-export it with training/export_instance.py");
        _queries = (int)scores.Shape[1];
        _order = new int[_queries];
    }

    public override string Family => FamilyName;
    public override ModelCapabilities Capabilities => ModelCapabilities.Alpha | ModelCapabilities.Instances;

    /// <summary>How many people one pass can separate at most.</summary>
    public int Queries => _queries;

    protected override SizeSetUp CreateSetUp(int frameWidth, int frameHeight)
    {
        double scale = (double)LongSide / Math.Max(frameWidth, frameHeight);
        int Round(double v) => Math.Max(Multiple, (int)Math.Round(v / Multiple) * Multiple);
        int w = Round(frameWidth * scale), h = Round(frameHeight * scale);
        var slots = new Slot[SlotCount];
        for (int s = 0; s < SlotCount; s++)
        {
            var image = new PinnedTensor<float>([1, 3, h, w]);
            var scores = new PinnedTensor<float>([1, _queries]);
            var alphas = new PinnedTensor<float>([1, _queries, h / Stride, w / Stride]);
            var binding = Session.CreateBinding();
            binding.BindInput("image", image);
            binding.BindOutput("scores", scores);
            binding.BindOutput("alphas", alphas);
            slots[s] = new Slot(image, scores, alphas, binding, new MatteOutput(w / Stride, h / Stride, _queries));
        }
        return new SetUp
        {
            InputSize = (w, h),
            Resampler = new TensorResampler(frameWidth, frameHeight, w, h, TensorLayout.Nchw, ChannelOrder.Rgb, PixelNormalization.ZeroToOne),
            MainParts = new MainParts(w / Stride, h / Stride),
            Slots = slots,
        };
    }

    protected override void Use(SizeSetUp setUp) => _now = (SetUp)setUp;

    protected override void OnPrepare(RgbImage frame, int slot) => _now!.Resampler.Fill(frame, _now.Slots[slot].Image.Span);

    protected override void OnInfer(int slot) => _now!.Slots[slot].Binding.Run();

    protected override MatteOutput OnRead(int slot)
    {
        var s = _now!.Slots[slot];
        var scores = s.Scores.Span;
        var alphas = s.Alphas.Span;
        var matte = s.Matte;
        int plane = matte.Alpha.Width * matte.Alpha.Height;
        float minimum = MinimumArea * plane;

        // People: confident slots with a real area, best first.
        int count = 0;
        for (int q = 0; q < _queries; q++)
        {
            if (scores[q] <= ScoreThreshold) continue;
            float area = 0;
            foreach (float a in alphas.Slice(q * plane, plane)) area += a;
            if (area <= minimum) continue;
            int j = count++;
            while (j > 0 && scores[_order[j - 1]] < scores[q])
            {
                _order[j] = _order[j - 1];
                j--;
            }
            _order[j] = q;
        }

        var union = matte.Alpha.Data.AsSpan(0, plane);
        union.Clear();
        for (int k = 0; k < count; k++)
        {
            int q = _order[k];
            var person = matte.InstanceSlot(k);
            person.Score = scores[q];
            var mask = person.Mask.Data.AsSpan(0, plane);
            alphas.Slice(q * plane, plane).CopyTo(mask);
            _now!.MainParts.Apply(mask);
            person.Box = BoxOf(person.Mask);
            for (int i = 0; i < plane; i++) union[i] = MathF.Min(1f, union[i] + mask[i]);
        }
        matte.InstanceCount = count;
        return matte;
    }

    /// <summary>The box (in frame pixels) around where the matte is over one half.</summary>
    private (float X, float Y, float Width, float Height) BoxOf(FloatPlane mask)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int y = 0; y < mask.Height; y++)
        {
            var row = mask.Row(y);
            for (int x = 0; x < row.Length; x++)
            {
                if (row[x] <= 0.5f) continue;
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                y1 = y;
            }
        }
        if (x1 < 0) return (0, 0, 0, 0);
        var (fw, fh) = FrameSize!.Value;
        float sx = (float)fw / mask.Width, sy = (float)fh / mask.Height;
        return (x0 * sx, y0 * sy, (x1 - x0 + 1) * sx, (y1 - y0 + 1) * sy);
    }
}
