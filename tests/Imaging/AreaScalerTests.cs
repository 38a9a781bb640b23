using StreamMatte.Imaging;

namespace StreamMatte.Tests.Imaging;

/// <summary>The area shrink against the exact area mean computed in doubles, pixel by pixel.</summary>
public class AreaScalerTests
{
    [Theory]
    [InlineData(203, 97, 61, 29)]      // fractional footprints, a row end that is not a whole vector
    [InlineData(1280, 720, 512, 288)]  // 720p to the network's working size
    [InlineData(64, 48, 64, 48)]       // same size: a copy
    public void Each_output_pixel_is_the_mean_of_the_source_area_it_covers(int sw, int sh, int dw, int dh)
    {
        var source = new RgbImage(sw, sh);
        new Random(sw + dh).NextBytes(source.Pixels);
        var destination = new RgbImage(dw, dh);
        new AreaScaler().Scale(source, destination);

        double sx = (double)sw / dw, sy = (double)sh / dh;
        for (int y = 0; y < dh; y += Math.Max(1, dh / 37))
            for (int x = 0; x < dw; x++)
                for (int c = 0; c < 3; c++)
                {
                    double sum = 0, area = 0;
                    for (int j = (int)(y * sy); j < Math.Min(sh, Math.Ceiling((y + 1) * sy)); j++)
                    {
                        double wy = Math.Min((y + 1) * sy, j + 1) - Math.Max(y * sy, j);
                        for (int i = (int)(x * sx); i < Math.Min(sw, Math.Ceiling((x + 1) * sx)); i++)
                        {
                            double w = wy * (Math.Min((x + 1) * sx, i + 1) - Math.Max(x * sx, i));
                            sum += w * source.Pixels[3 * (j * sw + i) + c];
                            area += w;
                        }
                    }
                    double expected = sum / area;
                    int actual = destination.Pixels[3 * (y * dw + x) + c];
                    Assert.True(Math.Abs(actual - expected) <= 0.51, $"({x},{y}) channel {c}: {actual} vs {expected:F3}");
                }
    }
}
