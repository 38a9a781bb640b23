using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StreamMatte.Imaging;

/// <summary>
/// The per-row arithmetic of the pixel stages, written once with <see cref="Vector{T}"/> so the JIT uses
/// the widest SIMD the CPU has (AVX2: 8 floats, AVX-512 when enabled: 16), with a scalar tail. Byte rows
/// are widened to floats 4 × Vector&lt;float&gt;.Count at a time and narrowed back with rounding and clamping.
/// All kernels take spans and allocate nothing. The hottest ones first run an explicit AVX-512 path
/// (<see cref="PixelKernels512"/>) where the CPU has it, because .NET keeps Vector&lt;T&gt; at 256 bits there.
/// </summary>
public static class PixelKernels
{
    private static int FloatLanes => Vector<float>.Count;
    private static int ByteLanes => Vector<byte>.Count;

    /// <summary>acc += src · weight.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> src, float weight, Span<float> acc)
    {
        int i = PixelKernels512.Enabled ? PixelKernels512.MultiplyAdd(src, weight, acc) : 0;
        var w = new Vector<float>(weight);
        for (; i <= src.Length - FloatLanes; i += FloatLanes)
            (new Vector<float>(src[i..]) * w + new Vector<float>(acc[i..])).CopyTo(acc[i..]);
        for (; i < src.Length; i++) acc[i] += src[i] * weight;
    }

    /// <summary>acc += src.</summary>
    public static void Add(ReadOnlySpan<float> src, Span<float> acc)
    {
        int i = PixelKernels512.Enabled ? PixelKernels512.Add(src, acc) : 0;
        for (; i <= src.Length - FloatLanes; i += FloatLanes)
            (new Vector<float>(src[i..]) + new Vector<float>(acc[i..])).CopyTo(acc[i..]);
        for (; i < src.Length; i++) acc[i] += src[i];
    }

    /// <summary>acc += add − subtract.</summary>
    public static void AddDifference(ReadOnlySpan<float> add, ReadOnlySpan<float> subtract, Span<float> acc)
    {
        int i = PixelKernels512.Enabled ? PixelKernels512.AddDifference(add, subtract, acc) : 0;
        for (; i <= acc.Length - FloatLanes; i += FloatLanes)
            (new Vector<float>(acc[i..]) + new Vector<float>(add[i..]) - new Vector<float>(subtract[i..])).CopyTo(acc[i..]);
        for (; i < acc.Length; i++) acc[i] += add[i] - subtract[i];
    }

    /// <summary>dst = src · k.</summary>
    public static void Scale(ReadOnlySpan<float> src, float k, Span<float> dst)
    {
        int i = PixelKernels512.Enabled ? PixelKernels512.Scale(src, k, dst) : 0;
        var kv = new Vector<float>(k);
        for (; i <= src.Length - FloatLanes; i += FloatLanes) (new Vector<float>(src[i..]) * kv).CopyTo(dst[i..]);
        for (; i < src.Length; i++) dst[i] = src[i] * k;
    }

    /// <summary>dst = a + (b − a) · w: a vertical bilinear blend of two rows.</summary>
    public static void Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w, Span<float> dst)
    {
        if (a.Length < dst.Length || b.Length < dst.Length) throw new ArgumentException("rows shorter than the output");
        var wv = new Vector<float>(w);
        int i = 0;
        for (; i <= dst.Length - FloatLanes; i += FloatLanes)
        {
            var top = new Vector<float>(a[i..]);
            (top + (new Vector<float>(b[i..]) - top) * wv).CopyTo(dst[i..]);
        }
        for (; i < dst.Length; i++) dst[i] = a[i] + (b[i] - a[i]) * w;
    }

    /// <summary>dst = round(clamp(a + (b − a) · w, 0, 255)): the blend of two float rows straight to bytes, in one pass.</summary>
    public static void LerpToBytes(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w, Span<byte> dst)
    {
        if (a.Length < dst.Length || b.Length < dst.Length) throw new ArgumentException("rows shorter than the output");
        var wv = new Vector<float>(w);
        int i = 0, f = FloatLanes;
        for (; i <= dst.Length - ByteLanes; i += ByteLanes)
            Narrow(LerpAt(a, b, i, wv), LerpAt(a, b, i + f, wv), LerpAt(a, b, i + 2 * f, wv), LerpAt(a, b, i + 3 * f, wv), dst, i);
        for (; i < dst.Length; i++) dst[i] = ToByte(a[i] + (b[i] - a[i]) * w);
    }

    /// <summary>bytes = round(clamp(floats, 0, 255)).</summary>
    public static void ToBytes(ReadOnlySpan<float> src, Span<byte> dst)
    {
        int i = 0;
        for (; i <= src.Length - ByteLanes; i += ByteLanes)
        {
            int f = FloatLanes;
            Narrow(new Vector<float>(src[i..]), new Vector<float>(src[(i + f)..]), new Vector<float>(src[(i + 2 * f)..]),
                new Vector<float>(src[(i + 3 * f)..]), dst, i);
        }
        for (; i < src.Length; i++) dst[i] = ToByte(src[i]);
    }

    /// <summary>floats = bytes.</summary>
    public static void ToFloats(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int i = 0, f = FloatLanes;
        for (; i <= src.Length - ByteLanes; i += ByteLanes)
        {
            Widen(src, i, out var a, out var b, out var c, out var d);
            a.CopyTo(dst[i..]);
            b.CopyTo(dst[(i + f)..]);
            c.CopyTo(dst[(i + 2 * f)..]);
            d.CopyTo(dst[(i + 3 * f)..]);
        }
        for (; i < src.Length; i++) dst[i] = src[i];
    }

    /// <summary>alpha3[3x + c] = clamp(alpha[x], 0, 1): one weight per byte of an rgb24 row.</summary>
    public static void ExpandAlpha3(ReadOnlySpan<float> alpha, Span<float> alpha3)
    {
        int x = 0;
        if (Avx2.IsSupported && alpha3.Length >= 3 * alpha.Length)
        {
            // 8 alphas → 24 floats: three lane permutations of the same vector.
            var p0 = Vector256.Create(0, 0, 0, 1, 1, 1, 2, 2);
            var p1 = Vector256.Create(2, 3, 3, 3, 4, 4, 4, 5);
            var p2 = Vector256.Create(5, 5, 6, 6, 6, 7, 7, 7);
            ref float a = ref MemoryMarshal.GetReference(alpha);
            ref float o = ref MemoryMarshal.GetReference(alpha3);
            for (; x + 8 <= alpha.Length; x += 8)
            {
                var v = Vector256.Min(Vector256.Max(Vector256.LoadUnsafe(ref a, (nuint)x), Vector256<float>.Zero), Vector256<float>.One);
                Avx2.PermuteVar8x32(v, p0).StoreUnsafe(ref o, (nuint)(3 * x));
                Avx2.PermuteVar8x32(v, p1).StoreUnsafe(ref o, (nuint)(3 * x + 8));
                Avx2.PermuteVar8x32(v, p2).StoreUnsafe(ref o, (nuint)(3 * x + 16));
            }
        }
        for (; x < alpha.Length; x++)
        {
            float a = Math.Clamp(alpha[x], 0f, 1f);
            alpha3[3 * x] = a;
            alpha3[3 * x + 1] = a;
            alpha3[3 * x + 2] = a;
        }
    }

    /// <summary>dst = background + (foreground − background) · α: the plain "over" blend (α per byte).</summary>
    public static void Blend(ReadOnlySpan<byte> foreground, ReadOnlySpan<byte> background, ReadOnlySpan<float> alpha3, Span<byte> dst)
    {
        if (foreground.Length < dst.Length || background.Length < dst.Length) throw new ArgumentException("rows shorter than the output");
        int i = 0, f = FloatLanes;
        for (; i <= dst.Length - ByteLanes; i += ByteLanes)
        {
            Widen(foreground, i, out var f0, out var f1, out var f2, out var f3);
            Widen(background, i, out var b0, out var b1, out var b2, out var b3);
            Narrow(b0 + (f0 - b0) * new Vector<float>(alpha3[i..]), b1 + (f1 - b1) * new Vector<float>(alpha3[(i + f)..]),
                   b2 + (f2 - b2) * new Vector<float>(alpha3[(i + 2 * f)..]), b3 + (f3 - b3) * new Vector<float>(alpha3[(i + 3 * f)..]), dst, i);
        }
        for (; i < dst.Length; i++) dst[i] = ToByte(background[i] + (foreground[i] - background[i]) * alpha3[i]);
    }

    /// <summary>
    /// Blend that removes the old background's colour from soft edges: with I = αF + (1−α)H (H the old
    /// background near the pixel), αF = I − (1−α)H, so dst = clamp(I − (1−α)H, 0, 255α) + (1−α)B. No
    /// division, exact at α = 0 (dst = B) and α = 1 (dst = I); with H = I it is the plain blend.
    /// </summary>
    public static void BlendDecontaminated(ReadOnlySpan<byte> image, ReadOnlySpan<byte> oldBackground, ReadOnlySpan<byte> newBackground,
        ReadOnlySpan<float> alpha3, Span<byte> dst)
    {
        if (image.Length < dst.Length || oldBackground.Length < dst.Length || newBackground.Length < dst.Length)
            throw new ArgumentException("rows shorter than the output");
        int i = PixelKernels512.Enabled ? PixelKernels512.BlendDecontaminated(image, oldBackground, newBackground, alpha3, dst) : 0, f = FloatLanes;
        for (; i <= dst.Length - ByteLanes; i += ByteLanes)
        {
            Widen(image, i, out var i0, out var i1, out var i2, out var i3);
            Widen(oldBackground, i, out var h0, out var h1, out var h2, out var h3);
            Widen(newBackground, i, out var b0, out var b1, out var b2, out var b3);
            Narrow(Decontaminate(i0, h0, b0, new Vector<float>(alpha3[i..])), Decontaminate(i1, h1, b1, new Vector<float>(alpha3[(i + f)..])),
                   Decontaminate(i2, h2, b2, new Vector<float>(alpha3[(i + 2 * f)..])), Decontaminate(i3, h3, b3, new Vector<float>(alpha3[(i + 3 * f)..])), dst, i);
        }
        for (; i < dst.Length; i++)
        {
            float a = alpha3[i], rest = 1 - a;
            dst[i] = ToByte(Math.Clamp(image[i] - rest * oldBackground[i], 0, 255 * a) + rest * newBackground[i]);
        }
    }

    /// <summary>
    /// Straight (unpremultiplied) foreground colour for transparent outputs: F = (I − (1−α)H) / α, clamped;
    /// where α is ~0 the colour is irrelevant and I is kept.
    /// </summary>
    public static void Foreground(ReadOnlySpan<byte> image, ReadOnlySpan<byte> oldBackground, ReadOnlySpan<float> alpha3, Span<byte> dst)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            float a = alpha3[i];
            dst[i] = a < 1f / 255 ? image[i] : ToByte((image[i] - (1 - a) * oldBackground[i]) / a);
        }
    }

    /// <summary>Interleaves rgb24 and an α plane (0..1) into rgba.</summary>
    public static void InterleaveAlpha(ReadOnlySpan<byte> rgb, ReadOnlySpan<float> alpha, Span<byte> rgba)
    {
        for (int x = 0; x < alpha.Length; x++)
        {
            rgba[4 * x] = rgb[3 * x];
            rgba[4 * x + 1] = rgb[3 * x + 1];
            rgba[4 * x + 2] = rgb[3 * x + 2];
            rgba[4 * x + 3] = ToByte(alpha[x] * 255);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Decontaminate(Vector<float> image, Vector<float> old, Vector<float> background, Vector<float> a)
    {
        var rest = Vector<float>.One - a;
        var foreground = Vector.Min(Vector.Max(image - rest * old, Vector<float>.Zero), a * new Vector<float>(255f));
        return foreground + rest * background;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> LerpAt(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int i, Vector<float> w)
    {
        var top = new Vector<float>(a[i..]);
        return top + (new Vector<float>(b[i..]) - top) * w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ToByte(float v) => (byte)Math.Clamp(v + 0.5f, 0f, 255f);

    /// <summary>
    /// Bytes [i, i + ByteLanes) of <paramref name="src"/> as four float vectors. With AVX2 each quarter is one
    /// zero-extending load (vpmovzxbd) and a conversion; the portable path widens twice through ushort and uint,
    /// with a cross-lane shuffle at each step, several times slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen(ReadOnlySpan<byte> src, int i, out Vector<float> a, out Vector<float> b, out Vector<float> c, out Vector<float> d)
    {
        if (Avx2.IsSupported && Vector<float>.Count == 8)
        {
            ref byte p = ref Unsafe.Add(ref MemoryMarshal.GetReference(src), i);
            a = Eight(ref p, 0);
            b = Eight(ref p, 8);
            c = Eight(ref p, 16);
            d = Eight(ref p, 24);
            return;
        }
        Vector.Widen(new Vector<byte>(src[i..]), out Vector<ushort> lo, out Vector<ushort> hi);
        Vector.Widen(lo, out Vector<uint> u0, out Vector<uint> u1);
        Vector.Widen(hi, out Vector<uint> u2, out Vector<uint> u3);
        // Signed conversions: x86 has them natively (unsigned ones are emulated before AVX-512), and bytes fit.
        a = Vector.ConvertToSingle(Vector.AsVectorInt32(u0));
        b = Vector.ConvertToSingle(Vector.AsVectorInt32(u1));
        c = Vector.ConvertToSingle(Vector.AsVectorInt32(u2));
        d = Vector.ConvertToSingle(Vector.AsVectorInt32(u3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Eight(ref byte p, int offset) =>
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref p, offset))).AsByte())).AsVector();

    /// <summary>
    /// Writes round(clamp(v, 0, 255)) of four float vectors to bytes [i, i + ByteLanes) of <paramref name="dst"/>.
    /// With AVX2: truncating conversion of min(v, 255) + 0.5, then the saturating packs (int32 → int16 → uint8),
    /// which also clamp below 0, and one permute to undo the packs' per-lane order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(Vector<float> a, Vector<float> b, Vector<float> c, Vector<float> d, Span<byte> dst, int i)
    {
        if (Avx2.IsSupported && Vector<float>.Count == 8)
        {
            var s01 = Avx2.PackSignedSaturate(Rounded(a), Rounded(b));     // per 128-bit lane: a0-3 b0-3 | a4-7 b4-7
            var s23 = Avx2.PackSignedSaturate(Rounded(c), Rounded(d));
            var bytes = Avx2.PackUnsignedSaturate(s01, s23).AsInt32();    // dwords: a0-3 b0-3 c0-3 d0-3 | a4-7 b4-7 c4-7 d4-7
            Avx2.PermuteVar8x32(bytes, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsByte()
                .StoreUnsafe(ref MemoryMarshal.GetReference(dst), (nuint)i);
            return;
        }
        var lo = Vector.Narrow(ToUInt(a), ToUInt(b));
        var hi = Vector.Narrow(ToUInt(c), ToUInt(d));
        Vector.Narrow(lo, hi).CopyTo(dst[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Rounded(Vector<float> v) =>
        Avx.ConvertToVector256Int32WithTruncation(Avx.Min(v.AsVector256(), Vector256.Create(255f)) + Vector256.Create(0.5f));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> ToUInt(Vector<float> v) =>
        Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.Max(v, Vector<float>.Zero), new Vector<float>(255f)) + new Vector<float>(0.5f)));
}
