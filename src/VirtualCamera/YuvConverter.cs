using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using StreamMatte.Imaging;

namespace StreamMatte.VirtualCamera;

/// <summary>The pixel formats a virtual camera consumer may ask for.</summary>
public enum YuvFormat
{
    /// <summary>Packed 4:2:2, Y0 U Y1 V: what most webcams send; Chrome, Zoom and OBS all read it.</summary>
    Yuyv,
    /// <summary>Planar 4:2:0 (YU12): Y plane, then U, then V.</summary>
    I420,
    /// <summary>Semi-planar 4:2:0: Y plane, then interleaved U V.</summary>
    Nv12,
}

/// <summary>
/// RGB24 → BT.601 limited-range YUV (the webcam convention) with the integer coefficients video libraries use:
/// Y = ((66R + 129G + 25B + 128) &gt;&gt; 8) + 16, U = ((−38R − 74G + 112B + 128) &gt;&gt; 8) + 128,
/// V = ((112R − 94G − 18B + 128) &gt;&gt; 8) + 128; chroma from the rounded mean of the 2 (4:2:2) or 2×2 (4:2:0)
/// pixels it covers. The arithmetic runs in 16-bit SIMD lanes: Y's sum stays below 2¹⁶ unsigned and U/V's within
/// ±2¹⁵, so no lane overflows and the result equals the scalar formula exactly. Row buffers are sized once per width.
/// Every format has a fused AVX2 path (YUYV, the virtual camera's usual format, a row at a time; I420 and NV12 two
/// rows at a time): 16 pixels per step, from the rgb24 bytes straight to the output. RGB → I420 at 1280×720: see
/// bench/results/ImagingLibraryBenchmarks.md, beside OpenCV's cvtColor (which has no YUYV or NV12 from RGB).
/// </summary>
public sealed class YuvConverter
{
    private ushort[] _r = [], _g = [], _b = [], _y = [];

    /// <summary>The fused AVX2 rows where the CPU has them; off only to test the portable path on such a CPU.</summary>
    internal bool UseAvx2 { get; init; } = Avx2.IsSupported;
    private short[] _cr = [], _cg = [], _cb = [], _u = [], _v = [];

    public static int FrameBytes(YuvFormat format, int width, int height) =>
        format == YuvFormat.Yuyv ? width * height * 2 : width * height + 2 * (width / 2) * (height / 2);

    public static string FourCcText(YuvFormat format) => format switch
    {
        YuvFormat.Yuyv => "YUYV",
        YuvFormat.I420 => "YU12",
        YuvFormat.Nv12 => "NV12",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static YuvFormat Parse(string text) => text.ToLowerInvariant() switch
    {
        "yuyv" or "yuy2" => YuvFormat.Yuyv,
        "i420" or "yu12" or "yuv420p" => YuvFormat.I420,
        "nv12" => YuvFormat.Nv12,
        _ => throw new ArgumentException($"unknown virtual camera pixel format '{text}' (yuyv, i420 or nv12)"),
    };

    public void Convert(RgbImage image, YuvFormat format, Span<byte> destination)
    {
        int w = image.Width, h = image.Height;
        if ((w | h) % 2 != 0) throw new ArgumentException($"YUV needs even dimensions, got {w}x{h}");
        if (destination.Length < FrameBytes(format, w, h)) throw new ArgumentException("destination too small for the frame");
        EnsureRows(w);
        int half = w / 2;
        for (int y = 0; y < h; y += 2)
        {
            ReadOnlySpan<byte> row0 = image.Row(y), row1 = image.Row(y + 1);
            if (format == YuvFormat.Yuyv && UseAvx2)
            {
                YuyvRowAvx2(row0, destination.Slice(y * w * 2, w * 2), w);
                YuyvRowAvx2(row1, destination.Slice((y + 1) * w * 2, w * 2), w);
                continue;
            }
            if (format == YuvFormat.Yuyv)
            {
                for (int k = 0; k < 2; k++)
                {
                    var row = k == 0 ? row0 : row1;
                    Deinterleave(row, w);
                    Luma(w);
                    ChromaPairs(row, half);
                    Chroma(half);
                    var dst = destination.Slice((y + k) * w * 2, w * 2);
                    for (int x = 0; x < half; x++)
                    {
                        dst[4 * x] = (byte)_y[2 * x];
                        dst[4 * x + 1] = (byte)_u[x];
                        dst[4 * x + 2] = (byte)_y[2 * x + 1];
                        dst[4 * x + 3] = (byte)_v[x];
                    }
                }
                continue;
            }
            int planeY = w * h, chromaRow = y / 2;
            if (UseAvx2)
            {
                if (format == YuvFormat.I420)
                    Yuv420RowsAvx2(row0, row1, destination.Slice(y * w, 2 * w), destination.Slice(planeY + chromaRow * half, half),
                        destination.Slice(planeY + half * (h / 2) + chromaRow * half, half), default, w);
                else
                    Yuv420RowsAvx2(row0, row1, destination.Slice(y * w, 2 * w), default, default, destination.Slice(planeY + chromaRow * w, w), w);
                continue;
            }
            for (int k = 0; k < 2; k++)
            {
                Deinterleave(k == 0 ? row0 : row1, w);
                Luma(w);
                var yRow = destination.Slice((y + k) * w, w);
                for (int x = 0; x < w; x++) yRow[x] = (byte)_y[x];
            }
            ChromaQuads(row0, row1, half);
            Chroma(half);
            if (format == YuvFormat.I420)
            {
                var u = destination.Slice(planeY + chromaRow * half, half);
                var v = destination.Slice(planeY + half * (h / 2) + chromaRow * half, half);
                for (int x = 0; x < half; x++) { u[x] = (byte)_u[x]; v[x] = (byte)_v[x]; }
            }
            else
            {
                var uv = destination.Slice(planeY + chromaRow * w, w);
                for (int x = 0; x < half; x++) { uv[2 * x] = (byte)_u[x]; uv[2 * x + 1] = (byte)_v[x]; }
            }
        }
    }

    /// <summary>
    /// One YUYV row. Per 16 pixels: three byte shuffles per channel pull R, G and B out of the 48 rgb24 bytes; Y is
    /// computed in 16-bit lanes as in <see cref="Luma"/>; each 32-bit lane then holds one pixel pair (Y0 at bits 0–7,
    /// Y1 at 16–23), so the pair's chroma is the sum of its two 16-bit halves, and U and V slot in at bits 8 and 24:
    /// the lane is the pair's four output bytes. The pairs past the last whole 16 use the scalar formula.
    /// </summary>
    private static void YuyvRowAvx2(ReadOnlySpan<byte> rgb, Span<byte> dst, int w)
    {
        ref byte src = ref MemoryMarshal.GetReference(rgb);
        ref byte o = ref MemoryMarshal.GetReference(dst);
        var low16 = Vector256.Create(0xFFFF);
        int x = 0;
        for (; x + 16 <= w; x += 16)
        {
            var v0 = Vector128.LoadUnsafe(ref src, (nuint)(3 * x));
            var v1 = Vector128.LoadUnsafe(ref src, (nuint)(3 * x + 16));
            var v2 = Vector128.LoadUnsafe(ref src, (nuint)(3 * x + 32));
            var r = Avx2.ConvertToVector256Int16(Channel(v0, v1, v2, 0));
            var g = Avx2.ConvertToVector256Int16(Channel(v0, v1, v2, 1));
            var b = Avx2.ConvertToVector256Int16(Channel(v0, v1, v2, 2));
            var luma = Avx2.Add(Avx2.ShiftRightLogical(Avx2.Add(Avx2.Add(Avx2.MultiplyLow(r, Vector256.Create((short)66)),
                Avx2.MultiplyLow(g, Vector256.Create((short)129))), Avx2.Add(Avx2.MultiplyLow(b, Vector256.Create((short)25)),
                Vector256.Create((short)128))).AsUInt16(), 8), Vector256.Create((ushort)16)).AsInt32();
            // Pair sums, one per 32-bit lane, then the rounded mean.
            var cr = Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.Add(r.AsInt32() & low16, Avx2.ShiftRightLogical(r.AsInt32(), 16)), Vector256<int>.One), 1);
            var cg = Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.Add(g.AsInt32() & low16, Avx2.ShiftRightLogical(g.AsInt32(), 16)), Vector256<int>.One), 1);
            var cb = Avx2.ShiftRightArithmetic(Avx2.Add(Avx2.Add(b.AsInt32() & low16, Avx2.ShiftRightLogical(b.AsInt32(), 16)), Vector256<int>.One), 1);
            var c128 = Vector256.Create(128);
            var u = Avx2.ShiftRightArithmetic(cb * 112 - cr * 38 - cg * 74 + c128, 8) + c128;
            var v = Avx2.ShiftRightArithmetic(cr * 112 - cg * 94 - cb * 18 + c128, 8) + c128;
            (luma | Avx2.ShiftLeftLogical(u, 8) | Avx2.ShiftLeftLogical(v, 24)).AsByte().StoreUnsafe(ref o, (nuint)(2 * x));
        }
        for (; x < w; x += 2)
        {
            int i = 3 * x;
            int r0 = rgb[i], g0 = rgb[i + 1], b0 = rgb[i + 2], r1 = rgb[i + 3], g1 = rgb[i + 4], b1 = rgb[i + 5];
            int cr = (r0 + r1 + 1) >> 1, cg = (g0 + g1 + 1) >> 1, cb = (b0 + b1 + 1) >> 1;
            dst[2 * x] = (byte)(((66 * r0 + 129 * g0 + 25 * b0 + 128) >> 8) + 16);
            dst[2 * x + 1] = (byte)(((112 * cb - 38 * cr - 74 * cg + 128) >> 8) + 128);
            dst[2 * x + 2] = (byte)(((66 * r1 + 129 * g1 + 25 * b1 + 128) >> 8) + 16);
            dst[2 * x + 3] = (byte)(((112 * cr - 94 * cg - 18 * cb + 128) >> 8) + 128);
        }
    }

    /// <summary>
    /// Two rows of 4:2:0 (I420 when <paramref name="u"/> and <paramref name="v"/> are given, else NV12 into
    /// <paramref name="uv"/>). Per 16 pixels of each row: R, G, B by byte shuffles, both rows' Y in 16-bit lanes,
    /// narrowed to bytes together; each 32-bit lane then holds a horizontal pair, so the 2×2 sums are the two halves of
    /// a lane from each row, and U and V come out of 32-bit lanes (8 quads) narrowed to bytes. The quads past the last
    /// whole 16 use the scalar formula. Equal to the portable path exactly (same integer arithmetic, no lane overflows).
    /// </summary>
    private static void Yuv420RowsAvx2(ReadOnlySpan<byte> row0, ReadOnlySpan<byte> row1, Span<byte> luma, Span<byte> u, Span<byte> v, Span<byte> uv, int w)
    {
        ref byte s0 = ref MemoryMarshal.GetReference(row0);
        ref byte s1 = ref MemoryMarshal.GetReference(row1);
        ref byte y0 = ref MemoryMarshal.GetReference(luma);
        bool planar = !u.IsEmpty;
        var low16 = Vector256.Create(0xFFFF);
        var c128 = Vector256.Create(128);
        int x = 0;
        for (; x + 16 <= w; x += 16)
        {
            Split(ref s0, 3 * x, out var r0, out var g0, out var b0);
            Split(ref s1, 3 * x, out var r1, out var g1, out var b1);
            var lumaBytes = Vector256.Narrow(Luma16(r0, g0, b0), Luma16(r1, g1, b1));   // row 0's 16, then row 1's
            lumaBytes.GetLower().StoreUnsafe(ref y0, (nuint)x);
            lumaBytes.GetUpper().StoreUnsafe(ref y0, (nuint)(w + x));
            var cr = QuadMean(r0, r1, low16);
            var cg = QuadMean(g0, g1, low16);
            var cb = QuadMean(b0, b1, low16);
            var cu = Avx2.ShiftRightArithmetic(cb * 112 - cr * 38 - cg * 74 + c128, 8) + c128;
            var cv = Avx2.ShiftRightArithmetic(cr * 112 - cg * 94 - cb * 18 + c128, 8) + c128;
            int q = x / 2;
            if (planar)
            {
                // Narrowing truncates; every value is 0..255 here, so it is exact.
                var bytes = Vector256.Narrow(Vector256.Narrow(cu, cv), Vector256<short>.Zero);   // u0..u7 v0..v7, then zeros
                Unsafe.WriteUnaligned(ref u[q], bytes.AsUInt64().GetElement(0));
                Unsafe.WriteUnaligned(ref v[q], bytes.AsUInt64().GetElement(1));
            }
            else
                Vector256.Narrow(cu | Avx2.ShiftLeftLogical(cv, 8), Vector256<int>.Zero).GetLower().AsByte().StoreUnsafe(ref MemoryMarshal.GetReference(uv), (nuint)(2 * q));
        }
        for (; x < w; x += 2)
        {
            int i = 3 * x;
            int cr = (row0[i] + row0[i + 3] + row1[i] + row1[i + 3] + 2) >> 2;
            int cg = (row0[i + 1] + row0[i + 4] + row1[i + 1] + row1[i + 4] + 2) >> 2;
            int cb = (row0[i + 2] + row0[i + 5] + row1[i + 2] + row1[i + 5] + 2) >> 2;
            for (int k = 0; k < 2; k++)
            {
                luma[x + k] = (byte)(((66 * row0[i + 3 * k] + 129 * row0[i + 3 * k + 1] + 25 * row0[i + 3 * k + 2] + 128) >> 8) + 16);
                luma[w + x + k] = (byte)(((66 * row1[i + 3 * k] + 129 * row1[i + 3 * k + 1] + 25 * row1[i + 3 * k + 2] + 128) >> 8) + 16);
            }
            byte cu = (byte)(((112 * cb - 38 * cr - 74 * cg + 128) >> 8) + 128), cv = (byte)(((112 * cr - 94 * cg - 18 * cb + 128) >> 8) + 128);
            if (planar) { u[x / 2] = cu; v[x / 2] = cv; }
            else { uv[x] = cu; uv[x + 1] = cv; }
        }
    }

    /// <summary>R, G and B of the 16 rgb24 pixels at byte <paramref name="at"/>, widened to 16-bit lanes.</summary>
    private static void Split(ref byte src, int at, out Vector256<short> r, out Vector256<short> g, out Vector256<short> b)
    {
        var v0 = Vector128.LoadUnsafe(ref src, (nuint)at);
        var v1 = Vector128.LoadUnsafe(ref src, (nuint)(at + 16));
        var v2 = Vector128.LoadUnsafe(ref src, (nuint)(at + 32));
        r = Avx2.ConvertToVector256Int16(Channel(v0, v1, v2, 0));
        g = Avx2.ConvertToVector256Int16(Channel(v0, v1, v2, 1));
        b = Avx2.ConvertToVector256Int16(Channel(v0, v1, v2, 2));
    }

    /// <summary>Y of 16 pixels in 16-bit lanes (the sum stays below 2¹⁶ unsigned).</summary>
    private static Vector256<ushort> Luma16(Vector256<short> r, Vector256<short> g, Vector256<short> b) =>
        Avx2.Add(Avx2.ShiftRightLogical(Avx2.Add(Avx2.Add(Avx2.MultiplyLow(r, Vector256.Create((short)66)), Avx2.MultiplyLow(g, Vector256.Create((short)129))),
            Avx2.Add(Avx2.MultiplyLow(b, Vector256.Create((short)25)), Vector256.Create((short)128))).AsUInt16(), 8), Vector256.Create((ushort)16));

    /// <summary>The rounded mean of each 2×2 quad, one per 32-bit lane: a lane holds a horizontal pair of each row.</summary>
    private static Vector256<int> QuadMean(Vector256<short> top, Vector256<short> bottom, Vector256<int> low16) =>
        Avx2.ShiftRightArithmetic((top.AsInt32() & low16) + Avx2.ShiftRightLogical(top.AsInt32(), 16)
            + (bottom.AsInt32() & low16) + Avx2.ShiftRightLogical(bottom.AsInt32(), 16) + Vector256.Create(2), 2);

    /// <summary>Channel <paramref name="c"/> of 16 rgb24 pixels held in three 16-byte vectors, in pixel order.</summary>
    private static Vector128<byte> Channel(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, int c) =>
        Ssse3.Shuffle(v0, ChannelMasks[3 * c]) | Ssse3.Shuffle(v1, ChannelMasks[3 * c + 1]) | Ssse3.Shuffle(v2, ChannelMasks[3 * c + 2]);

    /// <summary>For channel c and source vector s (index 3c + s): where each output byte comes from, or 0x80 (zero).</summary>
    private static readonly Vector128<byte>[] ChannelMasks = BuildChannelMasks();

    private static Vector128<byte>[] BuildChannelMasks()
    {
        var masks = new Vector128<byte>[9];
        Span<byte> m = stackalloc byte[16];
        for (int c = 0; c < 3; c++)
            for (int s = 0; s < 3; s++)
            {
                for (int pos = 0; pos < 16; pos++)
                {
                    int at = 3 * pos + c - 16 * s;
                    m[pos] = at is >= 0 and < 16 ? (byte)at : (byte)0x80;
                }
                masks[3 * c + s] = Vector128.Create((ReadOnlySpan<byte>)m);
            }
        return masks;
    }

    private void EnsureRows(int w)
    {
        if (_r.Length >= w) return;
        int padded = (w + Vector<ushort>.Count - 1) / Vector<ushort>.Count * Vector<ushort>.Count;
        _r = new ushort[padded]; _g = new ushort[padded]; _b = new ushort[padded]; _y = new ushort[padded];
        _cr = new short[padded]; _cg = new short[padded]; _cb = new short[padded]; _u = new short[padded]; _v = new short[padded];
    }

    private void Deinterleave(ReadOnlySpan<byte> row, int w)
    {
        for (int x = 0; x < w; x++) { _r[x] = row[3 * x]; _g[x] = row[3 * x + 1]; _b[x] = row[3 * x + 2]; }
    }

    private void ChromaPairs(ReadOnlySpan<byte> row, int half)
    {
        for (int x = 0; x < half; x++)
        {
            int i = 6 * x;
            _cr[x] = (short)((row[i] + row[i + 3] + 1) >> 1);
            _cg[x] = (short)((row[i + 1] + row[i + 4] + 1) >> 1);
            _cb[x] = (short)((row[i + 2] + row[i + 5] + 1) >> 1);
        }
    }

    private void ChromaQuads(ReadOnlySpan<byte> row0, ReadOnlySpan<byte> row1, int half)
    {
        for (int x = 0; x < half; x++)
        {
            int i = 6 * x;
            _cr[x] = (short)((row0[i] + row0[i + 3] + row1[i] + row1[i + 3] + 2) >> 2);
            _cg[x] = (short)((row0[i + 1] + row0[i + 4] + row1[i + 1] + row1[i + 4] + 2) >> 2);
            _cb[x] = (short)((row0[i + 2] + row0[i + 5] + row1[i + 2] + row1[i + 5] + 2) >> 2);
        }
    }

    private void Luma(int w)
    {
        var c66 = new Vector<ushort>(66);
        var c129 = new Vector<ushort>(129);
        var c25 = new Vector<ushort>(25);
        var c128 = new Vector<ushort>(128);
        var c16 = new Vector<ushort>(16);
        for (int x = 0; x < w; x += Vector<ushort>.Count)
        {
            var r = new Vector<ushort>(_r, x);
            var g = new Vector<ushort>(_g, x);
            var b = new Vector<ushort>(_b, x);
            (Vector.ShiftRightLogical(r * c66 + g * c129 + b * c25 + c128, 8) + c16).CopyTo(_y, x);
        }
    }

    private void Chroma(int half)
    {
        var c128 = new Vector<short>(128);
        for (int x = 0; x < half; x += Vector<short>.Count)
        {
            var r = new Vector<short>(_cr, x);
            var g = new Vector<short>(_cg, x);
            var b = new Vector<short>(_cb, x);
            (Vector.ShiftRightArithmetic(b * new Vector<short>(112) - r * new Vector<short>(38) - g * new Vector<short>(74) + c128, 8) + c128).CopyTo(_u, x);
            (Vector.ShiftRightArithmetic(r * new Vector<short>(112) - g * new Vector<short>(94) - b * new Vector<short>(18) + c128, 8) + c128).CopyTo(_v, x);
        }
    }
}
