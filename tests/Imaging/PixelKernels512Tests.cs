using StreamMatte.Imaging;

namespace StreamMatte.Tests.Imaging;

/// <summary>
/// The explicit AVX-512 paths against the scalar formulas. On a CPU without AVX-512 (like CI's) Vector512 runs in
/// software: slower, but the same arithmetic, so the paths are checked everywhere.
/// </summary>
public class PixelKernels512Tests
{
    private static float[] Floats(int n, int seed, float scale = 1)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() * scale).ToArray();
    }

    [Fact]
    public void Float_row_kernels_match_the_scalar_formulas_on_whole_blocks()
    {
        const int n = 203;   // 12 whole 16-float blocks and a tail the caller finishes
        var src = Floats(n, 1, 255);
        var sub = Floats(n, 2, 255);
        var acc = Floats(n, 3, 255);

        var a = (float[])acc.Clone();
        Assert.Equal(192, PixelKernels512.MultiplyAdd(src, 0.37f, a));
        for (int i = 0; i < 192; i++) Assert.Equal(acc[i] + src[i] * 0.37f, a[i], 3);
        Assert.Equal(acc[200], a[200]);   // the tail is left to the caller

        a = (float[])acc.Clone();
        Assert.Equal(192, PixelKernels512.Add(src, a));
        for (int i = 0; i < 192; i++) Assert.Equal(acc[i] + src[i], a[i]);

        a = (float[])acc.Clone();
        Assert.Equal(192, PixelKernels512.AddDifference(src, sub, a));
        for (int i = 0; i < 192; i++) Assert.Equal(acc[i] + src[i] - sub[i], a[i], 3);

        var d = new float[n];
        Assert.Equal(192, PixelKernels512.Scale(src, 1.5f, d));
        for (int i = 0; i < 192; i++) Assert.Equal(src[i] * 1.5f, d[i]);
    }

    [Fact]
    public void Decontaminating_blend_matches_the_scalar_formula_within_one_grey_level()
    {
        const int n = 64 * 5 + 17;
        var r = new Random(4);
        byte[] image = new byte[n], old = new byte[n], bg = new byte[n];
        r.NextBytes(image); r.NextBytes(old); r.NextBytes(bg);
        var alpha = Floats(n, 5);
        alpha[0] = 0; alpha[1] = 1;
        var dst = new byte[n];
        Assert.Equal(320, PixelKernels512.BlendDecontaminated(image, old, bg, alpha, dst));
        for (int i = 0; i < 320; i++)
        {
            float a = alpha[i], rest = 1 - a;
            byte expected = PixelKernels.ToByte(Math.Clamp(image[i] - rest * old[i], 0, 255 * a) + rest * bg[i]);
            Assert.InRange(dst[i], expected - 1, expected + 1);
        }
        Assert.Equal(bg[0], dst[0]);        // α = 0: the new background
        Assert.Equal(image[1], dst[1]);     // α = 1: the picture
        // The public kernel (whatever path this CPU takes) gives the same bytes.
        var viaPublic = new byte[n];
        PixelKernels.BlendDecontaminated(image, old, bg, alpha, viaPublic);
        for (int i = 0; i < 320; i++) Assert.InRange(viaPublic[i], dst[i] - 1, dst[i] + 1);
    }
}
