using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StreamMatte.Imaging;

/// <summary>
/// Resizes rgb24 by area averaging (each output pixel is the exact mean of the source area it covers), the
/// right filter for shrinking a 1080p frame to a network's input: no aliasing, unlike two-tap bilinear.
/// Separable: a vectorised vertical pass over whole rows, then a horizontal pass per output row (one 4-float
/// multiply-add per tap and pixel). The taps
/// depend only on the sizes and are computed once per size pair.
/// </summary>
public sealed class AreaScaler
{
    private (int Sw, int Sh, int Dw, int Dh) _sizes;
    private AreaTaps _columns, _rows;
    private float[] _sourceRow = [];  // one source row as floats
    private float[] _vertical = [];   // one destination row at source width (vertical pass), × 3
    private float[] _output = [];     // one destination row × 3

    public void Scale(RgbImage source, RgbImage destination)
    {
        Configure(source.Width, source.Height, destination.Width, destination.Height);
        int dw = destination.Width;
        var sourceRow = _sourceRow.AsSpan();
        var vertical = _vertical.AsSpan(0, 3 * source.Width);
        var output = _output.AsSpan();
        // Vertical first (whole rows, vectorised), so the horizontal pass runs on destination rows only.
        for (int y = 0; y < destination.Height; y++)
        {
            vertical.Clear();
            int first = _rows.First[y], offset = _rows.Offset[y], count = _rows.Count[y];
            for (int k = 0; k < count; k++)
            {
                PixelKernels.ToFloats(source.Row(first + k), sourceRow);
                PixelKernels.MultiplyAdd(sourceRow, _rows.Weight[offset + k], vertical);
            }
            Horizontal(_vertical, output, dw);
            PixelKernels.ToBytes(output[..(3 * dw)], destination.Row(y));
        }
    }

    /// <summary>
    /// The horizontal pass: each output pixel is a weighted sum of a few source pixels. One pixel is one 4-float
    /// vector (r, g, b and the next pixel's r), so a tap is one multiply-add; the fourth lane's junk lands on the next
    /// pixel's r, which that pixel's own store then overwrites (the rows carry one float of padding for the last).
    /// </summary>
    private void Horizontal(ReadOnlySpan<float> vertical, Span<float> output, int dw)
    {
        ref float src = ref MemoryMarshal.GetReference(vertical);
        ref float dst = ref MemoryMarshal.GetReference(output);
        var first = _columns.First;
        var count = _columns.Count;
        var offset = _columns.Offset;
        var weight = _columns.Weight;
        for (int x = 0; x < dw; x++)
        {
            var sum = Vector128<float>.Zero;
            int start = first[x] * 3, o = offset[x];
            for (int k = 0, taps = count[x]; k < taps; k++, start += 3)
                sum += Vector128.LoadUnsafe(ref src, (nuint)start) * Vector128.Create(weight[o + k]);
            sum.StoreUnsafe(ref dst, (nuint)(3 * x));
        }
    }

    private void Configure(int sw, int sh, int dw, int dh)
    {
        if (_sizes == (sw, sh, dw, dh)) return;
        _sizes = (sw, sh, dw, dh);
        _columns = AreaTaps.Compute(sw, dw);
        _rows = AreaTaps.Compute(sh, dh);
        _sourceRow = new float[sw * 3];
        _vertical = new float[sw * 3 + 1];   // + 1: the 4-float loads of the last pixel (see Horizontal)
        _output = new float[dw * 3 + 1];
    }

    /// <summary>For each output sample: the first source sample, how many follow, and their normalised weights.</summary>
    private readonly record struct AreaTaps(int[] First, int[] Count, int[] Offset, float[] Weight)
    {
        public static AreaTaps Compute(int src, int dst)
        {
            var first = new int[dst];
            var count = new int[dst];
            var offset = new int[dst];
            var weights = new List<float>();
            double scale = (double)src / dst;
            for (int o = 0; o < dst; o++)
            {
                double lo = o * scale, hi = Math.Min(src, (o + 1) * scale);
                int i0 = (int)Math.Floor(lo), i1 = Math.Min(src, (int)Math.Ceiling(hi));
                first[o] = i0;
                offset[o] = weights.Count;
                double total = 0;
                for (int i = i0; i < i1; i++) total += Math.Min(hi, i + 1) - Math.Max(lo, i);
                for (int i = i0; i < i1; i++) weights.Add((float)((Math.Min(hi, i + 1) - Math.Max(lo, i)) / total));
                count[o] = i1 - i0;
            }
            return new AreaTaps(first, count, offset, weights.ToArray());
        }
    }
}
