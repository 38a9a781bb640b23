namespace StreamMatte.Imaging;

/// <summary>
/// Reads a low-resolution <see cref="FloatImage"/> back at full resolution one output row at a time
/// (bilinear, pixel-centre aligned): the two source rows are blended once per output row (one pass), then each output
/// value blends two neighbours (<see cref="GatherKernels.Lerp"/>, eight at a time). Taps are computed once per
/// size pair; nothing is allocated per row.
/// </summary>
public sealed class BilinearRowSampler
{
    private (int Lw, int Lh, int C, int Fw, int Fh) _sizes;
    private BilinearTaps _columns, _rows;
    private (int[] First, int[] Second, float[] Weight) _perValue = ([], [], []);   // the column taps, one per interleaved value
    private float[] _blendedRow = [];

    public void Configure(int lowWidth, int lowHeight, int channels, int fullWidth, int fullHeight)
    {
        if (_sizes == (lowWidth, lowHeight, channels, fullWidth, fullHeight)) return;
        _sizes = (lowWidth, lowHeight, channels, fullWidth, fullHeight);
        _columns = BilinearTaps.Compute(lowWidth, fullWidth, channels);
        _perValue = GatherKernels.PerValue(_columns, channels);
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
        PixelKernels.Lerp(r0, r1, wy, _blendedRow);
    }

    /// <summary>The blended low-resolution row chosen by <see cref="SelectRow"/> (width × channels), for fused kernels that sample it themselves.</summary>
    public ReadOnlySpan<float> SelectedRow => _blendedRow;

    /// <summary>The horizontal taps (source offsets already multiplied by the channel count), for such kernels.</summary>
    public BilinearTaps Columns => _columns;

    /// <summary>The vertical taps: which two source rows each output row blends.</summary>
    public BilinearTaps Rows => _rows;

    /// <summary>Output pixels [<paramref name="from"/>, <paramref name="to"/>) of the selected row into <paramref name="dst"/> (indexed by output pixel).</summary>
    public void SampleRange(Span<float> dst, int from, int to)
    {
        int c = _sizes.C;
        int start = c * from, count = c * (to - from);
        GatherKernels.Lerp(_blendedRow, _perValue.First.AsSpan(start, count), _perValue.Second.AsSpan(start, count),
            _perValue.Weight.AsSpan(start, count), dst.Slice(start, count));
    }
}
