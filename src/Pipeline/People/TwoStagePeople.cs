using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Compositing;

namespace StreamMatte.Pipeline.People;

/// <summary>
/// The classic two-stage way to get one matte per person, kept as the baseline our one-pass instance network is
/// measured against (paper 003's comparison): a detector finds the people (YOLOv8-seg boxes), then a matting network
/// runs once per person on their crop (the box widened by 10 %, resized to a fixed <see cref="CropSize"/>), and each
/// crop's matte is pasted back where the person is. Its cost is one detector pass plus one matting pass per person.
/// </summary>
public sealed class TwoStagePeople(IMattingModel detector, IMattingModel matting)
{
    /// <summary>The crop every person is matted at (portrait, as people are).</summary>
    public (int Width, int Height) CropSize { get; init; } = (192, 256);

    private readonly AreaScaler _scaler = new();
    private RgbImage? _crop, _region;
    private readonly MatteResampler _resampler = new();
    private readonly List<FloatPlane> _mattes = [];
    private readonly FloatPlane _inBox = new(1, 1);   // a crop's matte at its box's size

    /// <summary>The people of the last <see cref="Run"/>: each one's matte at the frame's size.</summary>
    public IReadOnlyList<FloatPlane> Mattes => _mattes.GetRange(0, Count);

    public int Count { get; private set; }

    public int Run(RgbImage frame)
    {
        var people = detector.Process(frame).Instances;
        _crop ??= new RgbImage(CropSize.Width, CropSize.Height);
        Count = 0;
        foreach (var person in people)
        {
            var (bx, by, bw, bh) = person.Box;
            int x0 = Math.Clamp((int)(bx - 0.1f * bw), 0, frame.Width - 1), y0 = Math.Clamp((int)(by - 0.1f * bh), 0, frame.Height - 1);
            int x1 = Math.Clamp((int)(bx + 1.1f * bw), x0 + 1, frame.Width), y1 = Math.Clamp((int)(by + 1.1f * bh), y0 + 1, frame.Height);
            int w = x1 - x0, h = y1 - y0;
            if (_region is null || _region.Width != w || _region.Height != h) _region = new RgbImage(w, h);
            for (int y = 0; y < h; y++) frame.Row(y0 + y).Slice(3 * x0, 3 * w).CopyTo(_region.Row(y));
            _scaler.Scale(_region, _crop);
            var alpha = matting.Process(_crop).Alpha;
            if (_mattes.Count <= Count) _mattes.Add(new FloatPlane(frame.Width, frame.Height));
            var target = _mattes[Count];
            target.Resize(frame.Width, frame.Height);
            Array.Clear(target.Data);
            _inBox.Resize(w, h);
            _resampler.Resample(alpha, _inBox);
            for (int y = 0; y < h; y++) _inBox.Row(y).CopyTo(target.Row(y0 + y).Slice(x0, w));
            Count++;
        }
        return Count;
    }
}
