using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Tests.Support;

/// <summary>
/// A clip of two "people": red rectangles on a dark background, a large one on the left and a smaller one on the
/// right, both drifting a little each frame. Red above <see cref="ScriptedModel.Threshold"/> is person.
/// </summary>
internal sealed class TwoPeopleSource(int width, int height, int frames) : IFrameSource
{
    private int _index;
    public VideoFormat Format { get; } = new(width, height, 30, FrameCount: frames);
    public bool IsLive => false;
    public string Description => "two people";

    /// <summary>The two boxes (x0, y0, x1, y1) in frame <paramref name="index"/>: large first.</summary>
    public (int X0, int Y0, int X1, int Y1)[] People(int index) =>
    [
        (Format.Width / 10 + index, Format.Height / 5, Format.Width / 10 + index + Format.Width * 3 / 10, Format.Height),
        (Format.Width * 6 / 10 - index, Format.Height * 2 / 5, Format.Width * 6 / 10 - index + Format.Width / 6, Format.Height),
    ];

    public bool Read(RgbImage image, out TimeSpan timestamp)
    {
        timestamp = TimeSpan.FromSeconds(_index / 30.0);
        if (_index >= Format.FrameCount) return false;
        var px = image.Pixels;
        for (int i = 0; i < px.Length; i += 3) (px[i], px[i + 1], px[i + 2]) = (20, 60, 20);
        foreach (var (x0, y0, x1, y1) in People(_index))
            for (int y = y0; y < Math.Min(y1, image.Height); y++)
                for (int x = x0; x < x1; x++)
                    (px[3 * (y * image.Width + x)], px[3 * (y * image.Width + x) + 1], px[3 * (y * image.Width + x) + 2]) = (250, 40, 40);
        _index++;
        return true;
    }

    public void Dispose() { }
}

/// <summary>
/// An instance model for tests: each connected run of red columns is one person (left to right), its mask the red
/// pixels of those columns. Enough to separate <see cref="TwoPeopleSource"/>'s two people at any resolution.
/// </summary>
internal sealed class ScriptedInstanceModel : IMattingModel
{
    private MatteOutput? _output;
    private RgbImage? _frame;
    public string Name => "scripted-instances";
    public string Family => "test";
    public ModelCapabilities Capabilities => ModelCapabilities.Alpha | ModelCapabilities.Instances;
    public string Provider => "none";
    public (int Width, int Height)? FrameSize { get; private set; }
    public (int Width, int Height) InputSize => FrameSize ?? (0, 0);
    public int Runs;

    public void Configure(int frameWidth, int frameHeight)
    {
        if (FrameSize == (frameWidth, frameHeight)) return;
        FrameSize = (frameWidth, frameHeight);
        _output = new MatteOutput(frameWidth, frameHeight, maxInstances: 4);
    }

    public void Prepare(RgbImage frame, int slot) => _frame = frame;

    public void Infer(int slot) => Runs++;

    public MatteOutput Read(int slot)
    {
        var f = _frame!;
        var o = _output!;
        bool Red(int x, int y) => f.Pixels[3 * (y * f.Width + x)] > ScriptedModel.Threshold;
        int count = 0;
        for (int x = 0; x < f.Width && count < 4;)
        {
            bool any = false;
            for (int y = 0; y < f.Height && !any; y++) any = Red(x, y);
            if (!any) { x++; continue; }
            int start = x;
            while (x < f.Width && Enumerable.Range(0, f.Height).Any(y => Red(x, y))) x++;
            var mask = Set(o, count++);
            for (int y = 0; y < f.Height; y++)
                for (int c = 0; c < f.Width; c++)
                    mask[c, y] = c >= start && c < x && Red(c, y) ? 1 : 0;
        }
        o.InstanceCount = count;
        return o;
    }

    private static FloatPlane Set(MatteOutput o, int i)
    {
        var slot = o.InstanceSlot(i);
        slot.Score = 0.9f;
        return slot.Mask;
    }

    public void ResetState() { }
    public void Dispose() { }
}
