namespace StreamMatte.Imaging;

/// <summary>
/// Resizes rgb24 by area averaging (each output pixel is the exact mean of the source area it covers), the
/// right filter for shrinking a 1080p frame to a network's input: no aliasing, unlike two-tap bilinear.
/// Separable: a vectorised vertical pass over whole rows, then a horizontal pass per output row. The taps
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
        var vertical = _vertical.AsSpan();
        var output = _output.AsSpan();
        // Vertical first (whole rows, vectorised), so the scalar horizontal pass runs on destination rows only.
        for (int y = 0; y < destination.Height; y++)
        {
            vertical.Clear();
            int first = _rows.First[y], offset = _rows.Offset[y], count = _rows.Count[y];
            for (int k = 0; k < count; k++)
            {
                PixelKernels.ToFloats(source.Row(first + k), sourceRow);
                PixelKernels.MultiplyAdd(sourceRow, _rows.Weight[offset + k], vertical);
            }
            for (int x = 0; x < dw; x++)
            {
                float r = 0, g = 0, b = 0;
                int start = _columns.First[x] * 3, taps = _columns.Count[x], o = _columns.Offset[x];
                for (int k = 0; k < taps; k++, start += 3)
                {
                    float w = _columns.Weight[o + k];
                    r += vertical[start] * w;
                    g += vertical[start + 1] * w;
                    b += vertical[start + 2] * w;
                }
                output[3 * x] = r;
                output[3 * x + 1] = g;
                output[3 * x + 2] = b;
            }
            PixelKernels.ToBytes(output, destination.Row(y));
        }
    }

    private void Configure(int sw, int sh, int dw, int dh)
    {
        if (_sizes == (sw, sh, dw, dh)) return;
        _sizes = (sw, sh, dw, dh);
        _columns = AreaTaps.Compute(sw, dw);
        _rows = AreaTaps.Compute(sh, dh);
        _sourceRow = new float[sw * 3];
        _vertical = new float[sw * 3];
        _output = new float[dw * 3];
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
