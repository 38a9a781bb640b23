using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Matte;

/// <summary>
/// Compares each (small) picture with the previous one: the mean absolute difference per byte, 0..1. Above
/// the cut threshold the scene changed (recurrent state and smoothing restart); below the identical
/// threshold the previous matte can be reused without running the network.
/// </summary>
public sealed class SceneChangeDetector
{
    private byte[] _previous = [];

    /// <summary>The difference from the previous picture (1 for the first one, or after a size change).</summary>
    public double Compare(RgbImage picture)
    {
        var px = picture.Pixels;
        if (_previous.Length != px.Length)
        {
            _previous = (byte[])px.Clone();
            return 1;
        }
        long sum = 0;
        int i = 0;
        if (Avx2.IsSupported)
        {
            // psadbw: 32 byte differences summed per instruction into four 64-bit lanes.
            var sums = Vector256<ulong>.Zero;
            ref byte a = ref MemoryMarshal.GetReference(px.AsSpan());
            ref byte b = ref MemoryMarshal.GetReference(_previous.AsSpan());
            for (; i + 32 <= px.Length; i += 32)
                sums += Avx2.SumAbsoluteDifferences(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i)).AsUInt64();
            sum = (long)Vector256.Sum(sums);
        }
        for (; i < px.Length; i++) sum += Math.Abs(px[i] - _previous[i]);
        Array.Copy(px, _previous, px.Length);
        return sum / (255.0 * px.Length);
    }
}
