namespace StreamMatte.Imaging;

/// <summary>
/// Reads a low-resolution <see cref="FloatImage"/> back at full resolution one output row at a time
/// (bilinear, pixel-centre aligned): the two source rows are blended once per output row, then each output
/// pixel blends two neighbours. Taps are computed once per size pair; nothing is allocated per row.
/// </summary>
public sealed class BilinearRowSampler
{
    private (int Lw, int Lh, int C, int Fw, int Fh) _sizes;
    private BilinearTaps _columns, _rows;
    private float[] _blendedRow = [];

    public void Configure(int lowWidth, int lowHeight, int channels, int fullWidth, int fullHeight)
    {
        if (_sizes == (lowWidth, lowHeight, channels, fullWidth, fullHeight)) return;
        _sizes = (lowWidth, lowHeight, channels, fullWidth, fullHeight);
        _columns = BilinearTaps.Compute(lowWidth, fullWidth, channels);
        _rows = BilinearTaps.Compute(lowHeight, fullHeight);
        _blendedRow = new float[lowWidth * channels];
    }

    /// <summary>Output row <paramref name="y"/> of the upsampled image, interleaved like the source.</summary>
    public void SampleRow(FloatImage low, int y, Span<float> dst)
    {
        SelectRow(low, y);
        SampleRange(dst, 0, _sizes.Fw);
    }

    /// <summary>Blends the two source rows that output row <paramref name="y"/> reads; then <see cref="SampleRange"/> reads any part of it.</summary>
    public void SelectRow(FloatImage low, int y)
    {
        if (!low.HasSize(_sizes.Lw, _sizes.Lh, _sizes.C))
            throw new ArgumentException($"sampler configured for {_sizes.Lw}x{_sizes.Lh}x{_sizes.C}, got {low}");
        var r0 = low.Row(_rows.First[y]);
        var r1 = low.Row(_rows.Second[y]);
        float wy = _rows.Weight[y];
        var blended = _blendedRow.AsSpan();
        r0.CopyTo(blended);
        PixelKernels.MultiplyAdd(r1, wy, blended);
        PixelKernels.MultiplyAdd(r0, -wy, blended);
    }

    /// <summary>The blended low-resolution row chosen by <see cref="SelectRow"/> (width × channels), for fused kernels that sample it themselves.</summary>
    public ReadOnlySpan<float> SelectedRow => _blendedRow;

    /// <summary>The horizontal taps (source offsets already multiplied by the channel count), for such kernels.</summary>
    public BilinearTaps Columns => _columns;

    /// <summary>Output pixels [<paramref name="from"/>, <paramref name="to"/>) of the selected row into <paramref name="dst"/> (indexed by output pixel).</summary>
    public void SampleRange(Span<float> dst, int from, int to)
    {
        int c = _sizes.C;
        var blended = _blendedRow.AsSpan();
        int fullWidth = to;
        var first = _columns.First;
        var second = _columns.Second;
        var weight = _columns.Weight;
        switch (c)
        {
            case 1:
                for (int x = from; x < fullWidth; x++)
                {
                    float a = blended[first[x]];
                    dst[x] = a + (blended[second[x]] - a) * weight[x];
                }
                break;
            case 2:
                for (int x = from; x < fullWidth; x++)
                {
                    int i0 = first[x], i1 = second[x];
                    float w = weight[x];
                    float a0 = blended[i0], a1 = blended[i0 + 1];
                    dst[2 * x] = a0 + (blended[i1] - a0) * w;
                    dst[2 * x + 1] = a1 + (blended[i1 + 1] - a1) * w;
                }
                break;
            case 3:
                for (int x = from; x < fullWidth; x++)
                {
                    int i0 = first[x], i1 = second[x];
                    float w = weight[x];
                    float a0 = blended[i0], a1 = blended[i0 + 1], a2 = blended[i0 + 2];
                    dst[3 * x] = a0 + (blended[i1] - a0) * w;
                    dst[3 * x + 1] = a1 + (blended[i1 + 1] - a1) * w;
                    dst[3 * x + 2] = a2 + (blended[i1 + 2] - a2) * w;
                }
                break;
            default:
                for (int x = from; x < fullWidth; x++)
                {
                    int i0 = first[x], i1 = second[x], o = x * c;
                    float w = weight[x];
                    for (int k = 0; k < c; k++) dst[o + k] = blended[i0 + k] + (blended[i1 + k] - blended[i0 + k]) * w;
                }
                break;
        }
    }
}
