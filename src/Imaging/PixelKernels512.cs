using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StreamMatte.Imaging;

/// <summary>
/// Explicit AVX-512 paths of the hottest <see cref="PixelKernels"/> (the blur's row sums and the decontaminating
/// blend). .NET keeps <c>Vector&lt;T&gt;</c> at 256 bits even on AVX-512 CPUs, so these use
/// <see cref="Vector512{T}"/> directly. Each processes the whole 16-float (64-byte) blocks and returns where it
/// stopped; the caller's <c>Vector&lt;T&gt;</c> loop and scalar tail finish the row. Only called when
/// <see cref="Vector512.IsHardwareAccelerated"/>; the tests also run them in software against the scalar formulas.
/// </summary>
internal static class PixelKernels512
{
    public static bool Enabled => Vector512.IsHardwareAccelerated;

    public static int MultiplyAdd(ReadOnlySpan<float> src, float weight, Span<float> acc)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float a = ref MemoryMarshal.GetReference(acc);
        var w = Vector512.Create(weight);
        int i = 0;
        for (; i <= src.Length - 16; i += 16)
            (Vector512.LoadUnsafe(ref s, (nuint)i) * w + Vector512.LoadUnsafe(ref a, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        return i;
    }

    public static int Add(ReadOnlySpan<float> src, Span<float> acc)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float a = ref MemoryMarshal.GetReference(acc);
        int i = 0;
        for (; i <= src.Length - 16; i += 16)
            (Vector512.LoadUnsafe(ref s, (nuint)i) + Vector512.LoadUnsafe(ref a, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        return i;
    }

    public static int AddDifference(ReadOnlySpan<float> add, ReadOnlySpan<float> subtract, Span<float> acc)
    {
        ref float p = ref MemoryMarshal.GetReference(add);
        ref float m = ref MemoryMarshal.GetReference(subtract);
        ref float a = ref MemoryMarshal.GetReference(acc);
        int i = 0;
        for (; i <= acc.Length - 16; i += 16)
            (Vector512.LoadUnsafe(ref a, (nuint)i) + Vector512.LoadUnsafe(ref p, (nuint)i) - Vector512.LoadUnsafe(ref m, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        return i;
    }

    public static int Scale(ReadOnlySpan<float> src, float k, Span<float> dst)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        var kv = Vector512.Create(k);
        int i = 0;
        for (; i <= src.Length - 16; i += 16) (Vector512.LoadUnsafe(ref s, (nuint)i) * kv).StoreUnsafe(ref d, (nuint)i);
        return i;
    }

    /// <summary>clamp(I − (1−α)H, 0, 255α) + (1−α)B, 64 bytes at a time.</summary>
    public static int BlendDecontaminated(ReadOnlySpan<byte> image, ReadOnlySpan<byte> oldBackground, ReadOnlySpan<byte> newBackground,
        ReadOnlySpan<float> alpha3, Span<byte> dst)
    {
        ref byte im = ref MemoryMarshal.GetReference(image);
        ref byte ob = ref MemoryMarshal.GetReference(oldBackground);
        ref byte nb = ref MemoryMarshal.GetReference(newBackground);
        ref float al = ref MemoryMarshal.GetReference(alpha3);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        int i = 0;
        for (; i <= dst.Length - 64; i += 64)
        {
            Widen(Vector512.LoadUnsafe(ref im, (nuint)i), out var i0, out var i1, out var i2, out var i3);
            Widen(Vector512.LoadUnsafe(ref ob, (nuint)i), out var h0, out var h1, out var h2, out var h3);
            Widen(Vector512.LoadUnsafe(ref nb, (nuint)i), out var b0, out var b1, out var b2, out var b3);
            Narrow(Decontaminate(i0, h0, b0, Vector512.LoadUnsafe(ref al, (nuint)i)),
                   Decontaminate(i1, h1, b1, Vector512.LoadUnsafe(ref al, (nuint)(i + 16))),
                   Decontaminate(i2, h2, b2, Vector512.LoadUnsafe(ref al, (nuint)(i + 32))),
                   Decontaminate(i3, h3, b3, Vector512.LoadUnsafe(ref al, (nuint)(i + 48)))).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Decontaminate(Vector512<float> image, Vector512<float> old, Vector512<float> background, Vector512<float> a)
    {
        var rest = Vector512<float>.One - a;
        var foreground = Vector512.Min(Vector512.Max(image - rest * old, Vector512<float>.Zero), a * Vector512.Create(255f));
        return foreground + rest * background;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen(Vector512<byte> v, out Vector512<float> a, out Vector512<float> b, out Vector512<float> c, out Vector512<float> d)
    {
        var (lo, hi) = Vector512.Widen(v);
        var (u0, u1) = Vector512.Widen(lo);
        var (u2, u3) = Vector512.Widen(hi);
        a = Vector512.ConvertToSingle(u0.AsInt32());
        b = Vector512.ConvertToSingle(u1.AsInt32());
        c = Vector512.ConvertToSingle(u2.AsInt32());
        d = Vector512.ConvertToSingle(u3.AsInt32());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Narrow(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) =>
        Vector512.Narrow(Vector512.Narrow(ToUInt(a), ToUInt(b)), Vector512.Narrow(ToUInt(c), ToUInt(d)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> ToUInt(Vector512<float> v) =>
        Vector512.ConvertToInt32(Vector512.Min(Vector512.Max(v, Vector512<float>.Zero), Vector512.Create(255f)) + Vector512.Create(0.5f)).AsUInt32();
}
