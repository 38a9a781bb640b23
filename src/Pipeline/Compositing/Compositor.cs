using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline.Compositing;

/// <summary>
/// Makes the output picture in place over the frame, at full resolution, row by row with SIMD kernels:
/// out = α·F + (1 − α)·B. The estimates that need neighbourhoods are computed at the small working size and
/// read back bilinearly, so their cost does not grow with the frame:
/// <list type="bullet">
/// <item>the blurred background is a <i>masked</i> blur, Σw·I / Σw with w = (1−α)⁴: only background pixels are
/// averaged, so the person does not bleed into the blur as a halo around them;</item>
/// <item>the old background near each edge pixel (H) is the same masked mean with a small radius; with it the
/// blend removes the old background's colour from soft edges (<see cref="PixelKernels.BlendDecontaminated"/>).</item>
/// </list>
/// The estimates are read back columns first (<see cref="ColumnsFirstSampler"/>): a soft matte (a segmentation
/// network's) makes nearly every pixel an edge pixel, so they are read at every pixel of the frame.
/// Everything that depends only on the sizes (buffers, a colour row, the background picture) is prepared in
/// <see cref="Configure"/>.
/// </summary>
public sealed class Compositor : IDisposable
{
    private const int NearRadiusFullPixels = 16;  // how far the old-background estimate looks, in full-resolution pixels
    private readonly CompositeSettings _settings;
    private readonly Background _background;
    private readonly BoxFilter _box = new();
    private readonly ColumnsFirstSampler _backgroundSampler = new(), _oldSampler = new(), _weightSampler = new();
    private readonly MatteResampler _toEstimate = new();
    private (int W, int H, int Sw, int Sh) _sizes;
    private FloatPlane _estimateAlpha = new(1, 1);
    private FloatImage _estimate = new(1, 1, 4), _wide = new(1, 1, 4), _near = new(1, 1, 4);
    private FloatImage _blurredBackground = new(1, 1, 3), _oldBackground = new(1, 1, 3), _backgroundWeight = new(1, 1, 1);
    private float[] _alpha3 = [], _weight3 = [], _weightRow = [];
    private byte[] _backgroundRow = [], _oldRow = [];
    private RgbImage? _picture;          // image background, or the current frame of a video background
    private VideoReader? _video;

    public Compositor(CompositeSettings settings)
    {
        _settings = settings;
        _background = settings.Background;
    }

    public Compositor(Background background) : this(new CompositeSettings(background)) { }

    public CompositeSettings Settings => _settings;

    private bool NeedsOldBackground => _settings.Decontaminate || _settings.LightWrap > 0;

    /// <summary>Prepares for frames of <paramref name="width"/>×<paramref name="height"/> whose small copy is <paramref name="smallWidth"/>×<paramref name="smallHeight"/>.</summary>
    public void Configure(int width, int height, int smallWidth, int smallHeight)
    {
        if (_sizes == (width, height, smallWidth, smallHeight)) return;
        _sizes = (width, height, smallWidth, smallHeight);
        // The background estimates are smooth: they are computed at half the small size (each estimate pixel
        // weighs the mean of 2×2 small pixels by the matte there), a quarter of the work.
        int ew = Math.Max(1, smallWidth / 2), eh = Math.Max(1, smallHeight / 2);
        _estimateAlpha = new FloatPlane(ew, eh);
        _estimate = new FloatImage(ew, eh, 4);
        _wide = new FloatImage(ew, eh, 4);
        _near = new FloatImage(ew, eh, 4);
        _blurredBackground = new FloatImage(ew, eh, 3);
        _oldBackground = new FloatImage(ew, eh, 3);
        _backgroundWeight = new FloatImage(ew, eh, 1);
        // Each sampler keeps a full-width copy of its estimate: only the ones this background uses are made.
        if (_background is Background.Blur) _backgroundSampler.Configure(ew, eh, 3, width, height);
        if (NeedsOldBackground) _oldSampler.Configure(ew, eh, 3, width, height);
        if (_settings.LightWrap > 0) _weightSampler.Configure(ew, eh, 1, width, height);
        _alpha3 = new float[width * 3];
        _weight3 = new float[width * 3];
        _weightRow = new float[width];
        _backgroundRow = new byte[width * 3];
        _oldRow = new byte[width * 3];
        if (_background is Background.Color c)
            for (int x = 0; x < width; x++) (_backgroundRow[3 * x], _backgroundRow[3 * x + 1], _backgroundRow[3 * x + 2]) = (c.R, c.G, c.B);
        if (_background is Background.Image image) _picture = VideoReader.LoadImage(image.Path, (width, height), cover: true);
        if (_background is Background.Video video)
        {
            _video?.Dispose();
            _video = new VideoReader(video.Path, new VideoReaderOptions { Size = (width, height), Cover = true, Loop = true });
            _picture = new RgbImage(width, height);
        }
    }

    /// <summary>Composites <paramref name="frame"/> in place.</summary>
    /// <param name="alpha">The full-resolution matte.</param>
    /// <param name="small">The frame at the small working size.</param>
    /// <param name="matte">The matte at any low resolution (brought to the small size here).</param>
    public void Apply(RgbImage frame, FloatPlane alpha, RgbImage small, FloatPlane matte)
    {
        Configure(frame.Width, frame.Height, small.Width, small.Height);
        if (alpha.Width != frame.Width || alpha.Height != frame.Height)
            throw new ArgumentException($"matte {alpha} does not match frame {frame}");
        bool transparent = _background is Background.Transparent;
        if (transparent && !_settings.Decontaminate) return;

        EstimateBackgrounds(small, matte);
        if (_video != null && !_video.ReadFrame(_picture!)) throw new FfmpegException("the background video ended although it loops");

        for (int y = 0; y < frame.Height; y++)
        {
            var row = frame.Row(y);
            var a = alpha.Row(y);
            if (_background is Background.Blur) _backgroundSampler.SelectRow(y);
            if (NeedsOldBackground) _oldSampler.SelectRow(y);
            if (_settings.LightWrap > 0) _weightSampler.SelectRow(y);
            // Runs of person, background and soft edge: only the soft edge needs the full formula.
            for (int x = 0; x < a.Length;)
            {
                int end = NextRun(a, x, out var kind);
                if (transparent) TransparentRun(kind, row, a, x, end);
                else CompositeRun(kind, y, row, a, x, end);
                x = end;
            }
        }
    }

    private enum Coverage { Person, Background, Edge }

    /// <summary>
    /// Short runs cost more in calls than in pixels (a noisy matte alternates every few pixels), and the edge
    /// formula is exact for α = 0 and α = 1 too: a run shorter than this joins the edge run next to it.
    /// </summary>
    private const int ShortestRun = 16;

    /// <summary>The end of the run starting at <paramref name="from"/>, with short person/background runs merged into edges.</summary>
    private static int NextRun(ReadOnlySpan<float> alpha, int from, out Coverage kind)
    {
        int end = RunEnd(alpha, from, out kind);
        if (kind != Coverage.Edge && end - from >= ShortestRun) return end;
        int merged = end;
        bool edge = kind == Coverage.Edge;
        while (merged < alpha.Length)
        {
            int next = RunEnd(alpha, merged, out var nextKind);
            if (nextKind == Coverage.Edge) edge = true;
            else if (next - merged >= ShortestRun) break;
            merged = next;
        }
        if (!edge) return end;   // short clean runs with no edge after them: keep the first as it is
        kind = Coverage.Edge;
        return merged;
    }

    /// <summary>The end of the run of one kind starting at <paramref name="from"/>; person and background runs (most of a frame) are scanned eight pixels at a time.</summary>
    private static int RunEnd(ReadOnlySpan<float> alpha, int from, out Coverage kind)
    {
        kind = Classify(alpha[from]);
        int end = from + 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float a = ref MemoryMarshal.GetReference(alpha);
            var person = Vector256.Create(PersonLevel);
            var background = Vector256.Create(BackgroundLevel);
            for (; end + 8 <= alpha.Length; end += 8)
            {
                var v = Vector256.LoadUnsafe(ref a, (nuint)end);
                uint other = kind switch
                {
                    Coverage.Person => Vector256.LessThan(v, person).ExtractMostSignificantBits(),
                    Coverage.Background => Vector256.GreaterThan(v, background).ExtractMostSignificantBits(),
                    // A soft matte (a segmentation network's) is edge nearly everywhere: its runs are whole rows.
                    _ => (Vector256.GreaterThanOrEqual(v, person) | Vector256.LessThanOrEqual(v, background)).ExtractMostSignificantBits(),
                };
                if (other != 0) return end + BitOperations.TrailingZeroCount(other);
            }
        }
        while (end < alpha.Length && Classify(alpha[end]) == kind) end++;
        return end;
    }

    // Within half a grey level of 0 or 1 the result rounds to the background or the picture itself.
    private const float PersonLevel = 1 - 0.5f / 255, BackgroundLevel = 0.5f / 255;

    private static Coverage Classify(float a) => a >= PersonLevel ? Coverage.Person : a <= BackgroundLevel ? Coverage.Background : Coverage.Edge;

    private void CompositeRun(Coverage kind, int y, Span<byte> row, ReadOnlySpan<float> alpha, int from, int to)
    {
        var pixels = row[(3 * from)..(3 * to)];
        if (kind == Coverage.Person && _settings.LightWrap <= 0) return; // the picture itself
        if (kind == Coverage.Background && _background is Background.Blur)
        {
            _backgroundSampler.SampleRangeToBytes(row, from, to);   // straight into the frame: no copy through the colour row
            return;
        }
        var background = BackgroundRange(y, from, to);
        if (kind == Coverage.Background)
        {
            background.CopyTo(pixels);
            return;
        }
        var alpha3 = _alpha3.AsSpan(3 * from, 3 * (to - from));
        PixelKernels.ExpandAlpha3(alpha[from..to], alpha3);
        if (kind == Coverage.Edge)
        {
            if (_settings.Decontaminate) PixelKernels.BlendDecontaminated(pixels, OldBackgroundRange(from, to), background, alpha3, pixels);
            else PixelKernels.Blend(pixels, background, alpha3, pixels);
        }
        if (_settings.LightWrap > 0) WrapLight(from, to, background, pixels);
    }

    private void TransparentRun(Coverage kind, Span<byte> row, ReadOnlySpan<float> alpha, int from, int to)
    {
        if (kind != Coverage.Edge) return; // colour is the picture's where α is 1, irrelevant where it is 0
        var pixels = row[(3 * from)..(3 * to)];
        var alpha3 = _alpha3.AsSpan(3 * from, 3 * (to - from));
        PixelKernels.ExpandAlpha3(alpha[from..to], alpha3);
        PixelKernels.Foreground(pixels, OldBackgroundRange(from, to), alpha3, pixels);
    }

    /// <summary>The new background for pixels [from, to) of the current row, as rgb24.</summary>
    private ReadOnlySpan<byte> BackgroundRange(int y, int from, int to)
    {
        switch (_background)
        {
            case Background.Blur:
                _backgroundSampler.SampleRangeToBytes(_backgroundRow, from, to);
                return _backgroundRow.AsSpan(3 * from, 3 * (to - from));
            case Background.Image or Background.Video:
                return _picture!.Row(y)[(3 * from)..(3 * to)];
            default:
                return _backgroundRow.AsSpan(3 * from, 3 * (to - from)); // the colour row
        }
    }

    /// <summary>The old background's estimated colour (H) for pixels [from, to) of the current row.</summary>
    private ReadOnlySpan<byte> OldBackgroundRange(int from, int to)
    {
        _oldSampler.SampleRangeToBytes(_oldRow, from, to);
        return _oldRow.AsSpan(3 * from, 3 * (to - from));
    }

    /// <summary>Masked means of the small picture, weighted by (1 − α)⁴: wide (the blurred background) and near (H).</summary>
    private void EstimateBackgrounds(RgbImage small, FloatPlane matte)
    {
        bool blur = _background is Background.Blur;
        if (!blur && !NeedsOldBackground) return;
        _toEstimate.Resample(matte, _estimateAlpha);
        var est = _estimate.Data;
        var a = _estimateAlpha.Data;
        int ew = _estimate.Width, d = small.Width > 1 ? 3 : 0;   // a 1-pixel-wide picture has no right neighbour
        for (int y = 0; y < _estimate.Height; y++)
        {
            var r0 = small.Row(2 * y);
            var r1 = small.Row(Math.Min(2 * y + 1, small.Height - 1));
            for (int x = 0, i = y * ew; x < ew; x++, i++)
            {
                // (1 − α)⁴: edge pixels, part person, barely count; the estimate comes from the clean background.
                float w = 1 - Math.Clamp(a[i], 0f, 1f);
                w *= w;
                w *= w;
                int p = 6 * x;
                float k = 0.25f * w;
                est[4 * i] = (r0[p] + r0[p + d] + r1[p] + r1[p + d]) * k;
                est[4 * i + 1] = (r0[p + 1] + r0[p + d + 1] + r1[p + 1] + r1[p + d + 1]) * k;
                est[4 * i + 2] = (r0[p + 2] + r0[p + d + 2] + r1[p + 2] + r1[p + d + 2]) * k;
                est[4 * i + 3] = w;
            }
        }
        float scale = (float)_estimate.Width / _sizes.W;
        if (blur)
        {
            int radius = Math.Max(1, (int)MathF.Round(((Background.Blur)_background).Radius * scale / 3));
            Array.Copy(_estimate.Data, _wide.Data, _estimate.Data.Length);
            _box.Apply(_wide, radius, passes: 3);
            Normalise(_wide, _blurredBackground, null);
            _backgroundSampler.Prepare(_blurredBackground);
        }
        if (NeedsOldBackground)
        {
            int radius = Math.Max(1, (int)MathF.Round(NearRadiusFullPixels * scale));
            Array.Copy(_estimate.Data, _near.Data, _estimate.Data.Length);
            _box.Apply(_near, radius, passes: 2);
            Normalise(_near, _oldBackground, _backgroundWeight);
            _oldSampler.Prepare(_oldBackground);
            if (_settings.LightWrap > 0) _weightSampler.Prepare(_backgroundWeight);
        }
    }

    /// <summary>colour = Σ w·I / Σ w; where no background pixel is near (deep inside the person) the value does not matter.</summary>
    private static void Normalise(FloatImage sums, FloatImage colour, FloatImage? weight)
    {
        var s = sums.Data;
        var c = colour.Data;
        for (int i = 0, n = colour.Width * colour.Height; i < n; i++)
        {
            float w = s[4 * i + 3];
            float inv = 1f / Math.Max(w, 1e-4f);
            c[3 * i] = s[4 * i] * inv;
            c[3 * i + 1] = s[4 * i + 1] * inv;
            c[3 * i + 2] = s[4 * i + 2] * inv;
            if (weight != null) weight.Data[i] = w;
        }
    }

    /// <summary>Light wrap: near the edge (where the local background weight is high) the person takes some of the new background's light.</summary>
    private void WrapLight(int from, int to, ReadOnlySpan<byte> background, Span<byte> pixels)
    {
        _weightSampler.SampleRange(_weightRow, from, to);
        float strength = _settings.LightWrap;
        var weight3 = _weight3.AsSpan(3 * from, 3 * (to - from));
        for (int x = from, i = 0; x < to; x++, i += 3)
        {
            float w = strength * _alpha3[3 * x] * Math.Clamp(_weightRow[x], 0f, 1f);
            weight3[i] = w;
            weight3[i + 1] = w;
            weight3[i + 2] = w;
        }
        PixelKernels.Blend(background, pixels, weight3, pixels); // pixels + (background − pixels)·w
    }

    public void Dispose() => _video?.Dispose();
}
