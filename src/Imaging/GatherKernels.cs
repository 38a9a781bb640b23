using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StreamMatte.Imaging;

/// <summary>
/// Kernels that read the source at per-output indices (bilinear upsampling of a low-resolution row to a full
/// row), with AVX2 gathers: 8 outputs per step instead of one. The guided filter's output rows and the widening of
/// low-resolution rows (<see cref="ColumnsFirstSampler"/>, <see cref="BilinearRowSampler"/>) go through here. The scalar loops are the reference (and
/// the path on CPUs without AVX2); the tests compare the two.
/// </summary>
public static class GatherKernels
{
    /// <summary>dst[j] = src[i0[j]] + (src[i1[j]] − src[i0[j]])·w[j]: a horizontal bilinear tap per output value.</summary>
    public static unsafe void Lerp(ReadOnlySpan<float> src, ReadOnlySpan<int> i0, ReadOnlySpan<int> i1, ReadOnlySpan<float> w, Span<float> dst)
    {
        int n = dst.Length;
        if (i0.Length < n || i1.Length < n || w.Length < n) throw new ArgumentException("tap arrays shorter than the output");
        int j = 0;
        fixed (float* s = src, o = dst, pw = w)
        fixed (int* p0 = i0, p1 = i1)
        {
            if (Avx2.IsSupported)
                for (; j + 8 <= n; j += 8)
                {
                    var a = Avx2.GatherVector256(s, Avx.LoadVector256(p0 + j), 4);
                    var b = Avx2.GatherVector256(s, Avx.LoadVector256(p1 + j), 4);
                    Avx.Store(o + j, a + (b - a) * Avx.LoadVector256(pw + j));
                }
            for (; j < n; j++)
            {
                float a = s[p0[j]];
                o[j] = a + (s[p1[j]] - a) * pw[j];
            }
        }
    }

    /// <summary>
    /// One full-resolution row of the guided filter's output, fused: a and b (interleaved pairs in
    /// <paramref name="coefficients"/>) sampled at the taps, the pixel's luma from rgb24, q = a·Y + b clamped to 0..1.
    /// </summary>
    public static void GuidedRow(ReadOnlySpan<float> coefficients, BilinearTaps columns, ReadOnlySpan<byte> rgb, Span<float> dst) =>
        GuidedRow(coefficients, columns.First, columns.Second, columns.Weight, rgb, dst);

    /// <summary>The same for part of a row: the taps, pixels and output of that part (taps index the whole coefficient row).</summary>
    public static unsafe void GuidedRow(ReadOnlySpan<float> coefficients, ReadOnlySpan<int> first, ReadOnlySpan<int> second, ReadOnlySpan<float> weight,
        ReadOnlySpan<byte> rgb, Span<float> dst)
    {
        const float R = Luma.R, G = Luma.G, B = Luma.B;
        int n = dst.Length;
        if (first.Length < n || second.Length < n || weight.Length < n || rgb.Length < 3 * n) throw new ArgumentException("row sizes do not match the configured taps");
        int x = 0;
        fixed (float* ab = coefficients, o = dst, wx = weight)
        fixed (int* i0 = first, i1 = second)
        fixed (byte* p = rgb)
        {
            if (Avx2.IsSupported)
            {
                var lanes3 = Vector256.Create(0, 3, 6, 9, 12, 15, 18, 21);
                var bytes = Vector256.Create(0xFF);
                var zero = Vector256<float>.Zero;
                var one = Vector256<float>.One;
                // Each pixel is read as a 4-byte word at its offset (the 4th byte is the next pixel's), so the
                // vector loop stops one pixel short of the row's end and never reads past the buffer.
                for (; x + 8 < n; x += 8)
                {
                    var f0 = Avx.LoadVector256(i0 + x);
                    var f1 = Avx.LoadVector256(i1 + x);
                    var w = Avx.LoadVector256(wx + x);
                    var a0 = Avx2.GatherVector256(ab, f0, 4);
                    var a1 = Avx2.GatherVector256(ab, f1, 4);
                    var b0 = Avx2.GatherVector256(ab + 1, f0, 4);
                    var b1 = Avx2.GatherVector256(ab + 1, f1, 4);
                    var a = a0 + (a1 - a0) * w;
                    var b = b0 + (b1 - b0) * w;
                    var words = Avx2.GatherVector256((int*)(p + 3 * x), lanes3, 1);
                    var r = Avx.ConvertToVector256Single(words & bytes);
                    var g = Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(words, 8) & bytes);
                    var bl = Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(words, 16) & bytes);
                    var luma = r * R + g * G + bl * B;
                    Avx.Store(o + x, Avx.Min(Avx.Max(a * luma + b, zero), one));
                }
            }
            for (; x < n; x++)
            {
                float w = wx[x];
                float* c0 = ab + i0[x], c1 = ab + i1[x];
                float a = c0[0] + (c1[0] - c0[0]) * w;
                float b = c0[1] + (c1[1] - c0[1]) * w;
                byte* px = p + 3 * x;
                float q = a * (px[0] * R + px[1] * G + px[2] * B) + b;
                o[x] = MathF.Min(MathF.Max(q, 0f), 1f);
            }
        }
    }

    /// <summary>Taps of one output value each for an interleaved row of <paramref name="channels"/> values per pixel.</summary>
    public static (int[] First, int[] Second, float[] Weight) PerValue(BilinearTaps pixels, int channels)
    {
        int n = pixels.First.Length;
        var first = new int[n * channels];
        var second = new int[n * channels];
        var weight = new float[n * channels];
        for (int x = 0; x < n; x++)
            for (int k = 0; k < channels; k++)
            {
                first[x * channels + k] = pixels.First[x] + k;
                second[x * channels + k] = pixels.Second[x] + k;
                weight[x * channels + k] = pixels.Weight[x];
            }
        return (first, second, weight);
    }
}
