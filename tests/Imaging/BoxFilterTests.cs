using StreamMatte.Imaging;

namespace StreamMatte.Tests.Imaging;

/// <summary>The running-sum box filter against the window mean written out (edges clamped), for every channel layout it serves.</summary>
public class BoxFilterTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(4, 3)]
    [InlineData(4, 9)]    // a radius larger than the picture: every window reaches past both edges
    [InlineData(3, 1)]
    public void Equals_the_clamped_window_mean(int channels, int radius)
    {
        const int w = 7, h = 5;
        var r = new Random(channels * 31 + radius);
        var image = new FloatImage(w, h, channels);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (float)r.NextDouble();
        var expected = new float[image.Data.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int dy = -radius; dy <= radius; dy++)
                        for (int dx = -radius; dx <= radius; dx++)
                            sum += image.Data[(Math.Clamp(y + dy, 0, h - 1) * w + Math.Clamp(x + dx, 0, w - 1)) * channels + c];
                    expected[(y * w + x) * channels + c] = (float)(sum / ((2 * radius + 1) * (2 * radius + 1)));
                }

        new BoxFilter().Apply(image, radius);

        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], image.Data[i], 4);
    }
}
