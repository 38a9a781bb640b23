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
}
