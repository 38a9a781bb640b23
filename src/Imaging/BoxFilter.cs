using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StreamMatte.Imaging;

/// <summary>
/// Mean over a (2r+1)² window, edges clamped, for every channel of a <see cref="FloatImage"/> at once:
/// running sums along rows, then along columns, so the cost does not depend on the radius. Three passes
/// approximate a Gaussian. The scratch line is kept between calls.
/// </summary>
public sealed class BoxFilter
{
    private float[] _padded = [];
    private float[] _columnSums = [];

    /// <summary>Filters <paramref name="image"/> in place.</summary>
    public void Apply(FloatImage image, int radius, int passes = 1) => Apply(image.Data, image.Width, image.Height, image.Channels, radius, passes);

    /// <summary>Filters a single-channel plane in place.</summary>
    public void Apply(FloatPlane plane, int radius, int passes = 1) => Apply(plane.Data, plane.Width, plane.Height, 1, radius, passes);

    /// <summary>Filters <paramref name="data"/> (rows of width × channels floats) in place.</summary>
    public void Apply(float[] data, int w, int h, int c, int radius, int passes = 1)
    {
        if (radius <= 0) return;
        if (_columnSums.Length < w * c) _columnSums = new float[w * c];
        for (int pass = 0; pass < passes; pass++)
        {
            for (int y = 0; y < h; y++) FilterRow(data.AsSpan(y * w * c, w * c), w, c, radius);
            FilterColumns(data, h, w * c, radius);
        }
    }

    /// <summary>
    /// Row pass: the row is copied with r clamped pixels added at each end, so the running sum needs no bounds
    /// checks; four channels (one pixel) move together as one 128-bit vector.
    /// </summary>
    private void FilterRow(Span<float> row, int w, int c, int r)
    {
        float norm = 1f / (2 * r + 1);
        int padded = (w + 2 * r + 1) * c;
        if (_padded.Length < padded) _padded = new float[padded];
        var line = _padded.AsSpan(0, padded);
        for (int k = 0; k < r; k++) row[..c].CopyTo(line[(k * c)..]);
        row.CopyTo(line[(r * c)..]);
        for (int k = 0; k <= r; k++) row[((w - 1) * c)..].CopyTo(line[((w + r + k) * c)..]);
        if (c == 4)
        {
            ref float l = ref MemoryMarshal.GetReference(line);
            ref float o = ref MemoryMarshal.GetReference(row);
            var sum = Vector128<float>.Zero;
            for (int k = 0; k <= 2 * r; k++) sum += Vector128.LoadUnsafe(ref l, (nuint)(4 * k));
            var n = Vector128.Create(norm);
            for (int x = 0; x < w; x++)
            {
                (sum * n).StoreUnsafe(ref o, (nuint)(4 * x));
                sum += Vector128.LoadUnsafe(ref l, (nuint)(4 * (x + 2 * r + 1))) - Vector128.LoadUnsafe(ref l, (nuint)(4 * x));
            }
            return;
        }
        for (int ch = 0; ch < c; ch++)
        {
            float sum = 0;
            for (int k = 0; k <= 2 * r; k++) sum += line[k * c + ch];
            for (int x = 0; x < w; x++)
            {
                row[x * c + ch] = sum * norm;
                sum += line[(x + 2 * r + 1) * c + ch] - line[x * c + ch];
            }
        }
    }

    /// <summary>Column pass, row by row so memory is read in order: a running sum per column, vectorised across columns.</summary>
    private void FilterColumns(float[] data, int h, int stride, int r)
    {
        float norm = 1f / (2 * r + 1);
        var sums = _columnSums.AsSpan(0, stride);
        sums.Clear();
        for (int k = -r; k <= r; k++) PixelKernels.Add(data.AsSpan(Math.Clamp(k, 0, h - 1) * stride, stride), sums);
        // Rows are overwritten as we go, but row y − r (needed later) is already gone: keep the original rows in a ring.
        var ring = RingFor(stride, 2 * r + 2);
        for (int k = 0; k <= Math.Min(r, h - 1); k++) data.AsSpan(k * stride, stride).CopyTo(ring.AsSpan((k % (2 * r + 2)) * stride, stride));
        for (int y = 0; y < h; y++)
        {
            int ahead = y + r + 1;
            if (ahead < h) data.AsSpan(ahead * stride, stride).CopyTo(ring.AsSpan((ahead % (2 * r + 2)) * stride, stride));
            var outRow = data.AsSpan(y * stride, stride);
            PixelKernels.Scale(sums, norm, outRow);
            var entering = ring.AsSpan((Math.Min(ahead, h - 1) % (2 * r + 2)) * stride, stride);
            var leaving = ring.AsSpan((Math.Max(y - r, 0) % (2 * r + 2)) * stride, stride);
            PixelKernels.AddDifference(entering, leaving, sums);
        }
    }

    private float[] _ring = [];

    private float[] RingFor(int stride, int rows)
    {
        if (_ring.Length < stride * rows) _ring = new float[stride * rows];
        return _ring;
    }
}
