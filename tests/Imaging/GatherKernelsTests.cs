using StreamMatte.Imaging;

namespace StreamMatte.Tests.Imaging;

/// <summary>
/// The gathering kernels (AVX2 where the CPU has it) against the bilinear formula written out per value, on
/// row lengths that leave a scalar tail, and at the last row of a buffer (the guided kernel reads pixels as
/// 4-byte words and must not run past the end).
/// </summary>
public class GatherKernelsTests
{
    [Theory]
    [InlineData(37, 203, 3)]
    [InlineData(256, 1280, 3)]
    [InlineData(100, 333, 1)]
    public void Lerp_samples_every_value_like_the_bilinear_formula(int lowWidth, int fullWidth, int channels)
    {
        var r = new Random(lowWidth);
        var low = Enumerable.Range(0, lowWidth * channels).Select(_ => (float)r.NextDouble() * 255).ToArray();
        var taps = BilinearTaps.Compute(lowWidth, fullWidth, channels);
        var (first, second, weight) = GatherKernels.PerValue(taps, channels);
        var dst = new float[fullWidth * channels];
        GatherKernels.Lerp(low, first, second, weight, dst);
        for (int x = 0; x < fullWidth; x++)
            for (int k = 0; k < channels; k++)
            {
                float a = low[taps.First[x] + k], b = low[taps.Second[x] + k];
                Assert.Equal(a + (b - a) * taps.Weight[x], dst[x * channels + k], 3);
            }
    }

    [Fact]
    public void Guided_row_matches_the_formula_up_to_the_last_pixel_of_the_buffer()
    {
        const int lowWidth = 64, fullWidth = 301;
        var r = new Random(7);
        var coefficients = Enumerable.Range(0, lowWidth * 2).Select(i => i % 2 == 0 ? (float)r.NextDouble() * 2 - 0.5f : (float)r.NextDouble() - 0.3f).ToArray();
        var taps = BilinearTaps.Compute(lowWidth, fullWidth, 2);
        var rgb = new byte[fullWidth * 3];   // exactly one row: nothing after it to read by mistake
        r.NextBytes(rgb);
        var dst = new float[fullWidth];
        GatherKernels.GuidedRow(coefficients, taps, rgb, dst);
        for (int x = 0; x < fullWidth; x++)
        {
            float w = taps.Weight[x];
            float a = coefficients[taps.First[x]] + (coefficients[taps.Second[x]] - coefficients[taps.First[x]]) * w;
            float b = coefficients[taps.First[x] + 1] + (coefficients[taps.Second[x] + 1] - coefficients[taps.First[x] + 1]) * w;
            float luma = rgb[3 * x] * Luma.R + rgb[3 * x + 1] * Luma.G + rgb[3 * x + 2] * Luma.B;
            Assert.Equal(Math.Clamp(a * luma + b, 0f, 1f), dst[x], 4);
        }
        Assert.Contains(dst, v => v > 0 && v < 1);   // the data exercises the unclamped range too
    }
}
