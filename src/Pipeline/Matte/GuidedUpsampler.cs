using System.Numerics;
using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Matte;

/// <summary>Radius (in low-resolution pixels) and regularisation ε of the guided filter (luma in 0..1).</summary>
public sealed record GuidedFilterSettings(int Radius = 3, float Epsilon = 1e-3f);

/// <summary>
/// Brings a low-resolution matte to full resolution following the full-resolution picture's edges: the fast
/// guided filter (He &amp; Sun 2015). At low resolution each window fits α ≈ a·I + b to the guide I (luma);
/// the coefficients a, b are smoothed, upsampled bilinearly, and applied to the full-resolution luma, so an
/// edge in the picture is an edge in the matte even where the network saw only a blur. Cost: a few box
/// filters at low resolution plus one multiply-add per full-resolution pixel.
/// Buffers and sampling tables are made per (matte size, picture size) and kept (<see cref="Plan"/>): live mode's
/// network size comes and goes, and a size seen before then allocates nothing.
/// </summary>
public sealed class GuidedUpsampler(GuidedFilterSettings settings)
{
    private readonly BoxFilter _box = new();
    private readonly PerSize<(int, int, int, int), Plan> _plans = new();
    private Plan? _plan;   // the last frame's

    public GuidedFilterSettings Settings => settings;

    /// <param name="guide">Luma of the picture at the matte's resolution (1 channel).</param>
    /// <param name="matte">The network's matte.</param>
    /// <param name="picture">The full-resolution picture.</param>
    /// <param name="alpha">Receives the full-resolution matte.</param>
    public void Upsample(FloatImage guide, FloatPlane matte, RgbImage picture, FloatPlane alpha)
    {
        int w = matte.Width, h = matte.Height;
        if (guide.Width != w || guide.Height != h || guide.Channels != 1)
            throw new ArgumentException($"the guide ({guide}) must be single-channel at the matte's size ({matte})");
        if (alpha.Width != picture.Width || alpha.Height != picture.Height)
            throw new ArgumentException($"the output matte ({alpha}) must match the picture ({picture})");
        var plan = _plan = PlanFor(w, h, picture.Width, picture.Height);
        var stats = plan.Statistics.Data;
        var g = guide.Data;
        var p = matte.Data;
        for (int i = 0, n = w * h; i < n; i++)
        {
            float gi = g[i], pi = p[i];
            int o = 4 * i;
            stats[o] = gi;
            stats[o + 1] = pi;
            stats[o + 2] = gi * pi;
            stats[o + 3] = gi * gi;
        }
        _box.Apply(plan.Statistics, settings.Radius);
        var coefficients = plan.Coefficients.Data;
        float eps = settings.Epsilon;
        for (int i = 0, n = w * h; i < n; i++)
        {
            int o = 4 * i;
            float meanI = stats[o], meanP = stats[o + 1];
            float variance = stats[o + 3] - meanI * meanI;
            float covariance = stats[o + 2] - meanI * meanP;
            float a = covariance / (variance + eps);
            coefficients[2 * i] = a;
            coefficients[2 * i + 1] = meanP - a * meanI;
        }
        _box.Apply(plan.Coefficients, settings.Radius);
        if (SkipFlatRuns) ClassifyFlat(coefficients);

        var sampler = plan.Sampler;
        var rows = sampler.Rows;
        for (int y = 0; y < picture.Height; y++)
        {
            sampler.SelectRow(plan.Coefficients, y);
            if (SkipFlatRuns && CombineFlat(rows.First[y], rows.Second[y]))
                UpsampleRowSkippingFlatRuns(sampler.SelectedRow, picture.Row(y), alpha.Row(y));
            else GatherKernels.GuidedRow(sampler.SelectedRow, sampler.Columns, picture.Row(y), alpha.Row(y));
        }
    }

    /// <summary>Off only to check the skipping against the plain per-pixel pass.</summary>
    internal bool SkipFlatRuns { get; set; } = true;

    /// <summary>
    /// Most of a frame is clearly person or clearly background: where a low-resolution pixel's q = a·Y + b is ≤ 0 (or
    /// ≥ 1) for every luma Y in 0..1, the clamped output is exactly 0 (or 1) whatever the pixel, and so is everything
    /// interpolated between such pixels (q is linear in a and b). Those stretches are filled without reading a pixel;
    /// only the rest (the edges) run the per-pixel kernel. "Exactly" is within <see cref="FlatTolerance"/>: the box
    /// filters' rounding leaves a solid person at q ≈ 0.99999, which would otherwise never count as flat.
    /// Each low-resolution pixel is classified once per frame: 0, 1, or −1 (compute per pixel).
    /// </summary>
    private void ClassifyFlat(ReadOnlySpan<float> coefficients)
    {
        var kinds = _plan!.FlatByPixel.AsSpan();
        for (int j = 0; j < kinds.Length; j++)
        {
            float a = coefficients[2 * j], b = coefficients[2 * j + 1];
            float lo = Math.Min(b, b + a), hi = Math.Max(b, b + a);
            kinds[j] = hi <= FlatTolerance ? (sbyte)0 : lo >= 1 - FlatTolerance ? (sbyte)1 : (sbyte)-1;
        }
    }

    /// <summary>How far from 0 or 1 a flat stretch may be: a fortieth of the 8-bit step every output is rounded to.</summary>
    internal const float FlatTolerance = 1e-4f;

    /// <summary>
    /// The kinds of the blended row between low rows <paramref name="top"/> and <paramref name="bottom"/>: a column is
    /// flat where both rows agree. Returns whether any column is flat; a soft matte (a segmentation network's sigmoid)
    /// has none, and its rows go straight to the per-pixel kernel.
    /// </summary>
    private bool CombineFlat(int top, int bottom)
    {
        int w = _plan!.Flat.Length;
        var t = _plan.FlatByPixel.AsSpan(top * w, w);
        var b = _plan.FlatByPixel.AsSpan(bottom * w, w);
        var flat = _plan.Flat.AsSpan();
        var none = new Vector<sbyte>(-1);
        var any = Vector<sbyte>.Zero;
        int j = 0;
        for (; j <= w - Vector<sbyte>.Count; j += Vector<sbyte>.Count)
        {
            var vt = new Vector<sbyte>(t[j..]);
            var combined = Vector.ConditionalSelect(Vector.Equals(vt, new Vector<sbyte>(b[j..])), vt, none);
            combined.CopyTo(flat[j..]);
            any |= ~Vector.Equals(combined, none);
        }
        bool found = any != Vector<sbyte>.Zero;
        for (; j < w; j++)
        {
            flat[j] = t[j] == b[j] ? t[j] : (sbyte)-1;
            found |= flat[j] != -1;
        }
        return found;
    }

    private void UpsampleRowSkippingFlatRuns(ReadOnlySpan<float> coefficients, ReadOnlySpan<byte> rgb, Span<float> dst)
    {
        var plan = _plan!;
        var columns = plan.Sampler.Columns;
        int segments = plan.SegmentStart.Length - 1;
        for (int s = 0; s < segments;)
        {
            int kind = plan.Kind(s);
            int e = s + 1;
            while (e < segments && plan.Kind(e) == kind) e++;
            int x0 = plan.SegmentStart[s], x1 = plan.SegmentStart[e];
            var part = dst[x0..x1];
            if (kind == 0) part.Clear();
            else if (kind == 1) part.Fill(1f);
            else GatherKernels.GuidedRow(coefficients, columns.First.AsSpan(x0, x1 - x0), columns.Second.AsSpan(x0, x1 - x0),
                columns.Weight.AsSpan(x0, x1 - x0), rgb[(3 * x0)..(3 * x1)], part);
            s = e;
        }
    }

    private Plan PlanFor(int w, int h, int fullWidth, int fullHeight)
    {
        var sizes = (w, h, fullWidth, fullHeight);
        if (_plan is { } current && current.Sizes == sizes) return current;
        return _plans.TryGet(sizes, out var plan) ? plan : _plans.Add(sizes, new Plan(w, h, fullWidth, fullHeight));
    }

    /// <summary>What one (matte size, picture size) needs: the low-resolution buffers, the sampling tables, the flat-run bookkeeping.</summary>
    private sealed class Plan
    {
        public Plan(int w, int h, int fullWidth, int fullHeight)
        {
            Sizes = (w, h, fullWidth, fullHeight);
            Statistics = new FloatImage(w, h, 4);
            Coefficients = new FloatImage(w, h, 2);
            Sampler.Configure(w, h, 2, fullWidth, fullHeight);
            Flat = new sbyte[w];
            FlatByPixel = new sbyte[w * h];
            // Full-resolution stretches that read the same two low-resolution columns.
            var columns = Sampler.Columns;
            var starts = new List<int>();
            var first = new List<int>();
            var second = new List<int>();
            for (int x = 0; x < columns.First.Length; x++)
                if (x == 0 || columns.First[x] != columns.First[x - 1] || columns.Second[x] != columns.Second[x - 1])
                {
                    starts.Add(x);
                    first.Add(columns.First[x] / 2);    // the taps index interleaved (a, b) pairs
                    second.Add(columns.Second[x] / 2);
                }
            starts.Add(columns.First.Length);
            (SegmentStart, SegmentFirst, SegmentSecond) = (starts.ToArray(), first.ToArray(), second.ToArray());
        }

        public (int, int, int, int) Sizes { get; }
        public FloatImage Statistics { get; }    // I, p, I·p, I·I
        public FloatImage Coefficients { get; }  // a, b
        public BilinearRowSampler Sampler { get; } = new();
        public sbyte[] Flat { get; }             // per low-resolution column of the current blended row: 0, 1 or −1
        public sbyte[] FlatByPixel { get; }      // per low-resolution pixel
        public int[] SegmentStart { get; }
        public int[] SegmentFirst { get; }
        public int[] SegmentSecond { get; }

        /// <summary>0 or 1 when both columns a stretch reads give that exact output, else −1 (compute per pixel).</summary>
        public int Kind(int segment)
        {
            int k0 = Flat[SegmentFirst[segment]], k1 = Flat[SegmentSecond[segment]];
            return k0 == k1 ? k0 : -1;
        }
    }
}
