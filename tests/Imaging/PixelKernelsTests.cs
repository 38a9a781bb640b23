using StreamMatte.Imaging;

namespace StreamMatte.Tests.Imaging;

/// <summary>Vectorised row kernels against their formulas, on lengths that leave a scalar tail.</summary>
public class PixelKernelsTests
{
    [Fact]
    public void ExpandAlpha3_repeats_each_clamped_alpha_once_per_colour_byte()
    {
        const int n = 29;
        var alpha = Enumerable.Range(0, n).Select(i => i * 0.05f - 0.2f).ToArray();   // below 0, inside, above 1
        var alpha3 = new float[3 * n];
        PixelKernels.ExpandAlpha3(alpha, alpha3);
        for (int x = 0; x < n; x++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(Math.Clamp(alpha[x], 0f, 1f), alpha3[3 * x + c]);
    }

    [Fact]
    public void ToBytes_rounds_and_clamps_like_the_scalar_rule_including_far_out_of_range_values()
    {
        float[] special = [-1e9f, -3f, -0.6f, -0.4f, 0f, 0.49f, 0.5f, 1.5f, 127.5f, 254.49f, 254.6f, 255f, 255.4f, 300f, 1e9f, float.MaxValue];
        var r = new Random(3);
        var src = special.Concat(Enumerable.Range(0, 3 * 41).Select(_ => (float)r.NextDouble() * 300 - 20)).ToArray();   // vector body and tail
        var dst = new byte[src.Length];
        PixelKernels.ToBytes(src, dst);
        for (int i = 0; i < src.Length; i++) Assert.True(PixelKernels.ToByte(src[i]) == dst[i], $"{src[i]} gave {dst[i]}, expected {PixelKernels.ToByte(src[i])}");
        Assert.Equal(0, dst[0]);
        Assert.Equal(255, dst[special.Length - 1]);
    }

    [Fact]
    public void ToFloats_widens_every_byte_value_exactly()
    {
        var src = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Enumerable.Range(0, 37).Select(i => (byte)(255 - i))).ToArray();
        var dst = new float[src.Length];
        PixelKernels.ToFloats(src, dst);
        for (int i = 0; i < src.Length; i++) Assert.Equal(src[i], dst[i]);
    }

    [Fact]
    public void Lerp_and_LerpToBytes_blend_two_rows_like_the_formula()
    {
        const int n = 3 * 77;   // a vector body and a tail
        var r = new Random(9);
        var a = Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() * 320 - 30).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() * 320 - 30).ToArray();
        var floats = new float[n];
        var bytes = new byte[n];
        PixelKernels.Lerp(a, b, 0.3f, floats);
        PixelKernels.LerpToBytes(a, b, 0.3f, bytes);
        for (int i = 0; i < n; i++)
        {
            float expected = a[i] + (b[i] - a[i]) * 0.3f;
            Assert.Equal(expected, floats[i], 1e-3f);
            Assert.InRange(bytes[i], PixelKernels.ToByte(expected - 1e-3f), PixelKernels.ToByte(expected + 1e-3f));
        }
        Assert.Contains(bytes, v => v == 0);      // the data reaches both clamps
        Assert.Contains(bytes, v => v == 255);
    }
}
