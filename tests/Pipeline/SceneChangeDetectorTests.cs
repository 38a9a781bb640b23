using StreamMatte.Imaging;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Tests.Pipeline;

/// <summary>The picture-difference measure behind scene cuts and matte reuse.</summary>
public class SceneChangeDetectorTests
{
    [Fact]
    public void Difference_is_the_mean_absolute_byte_difference_from_the_previous_picture()
    {
        var r = new Random(5);
        var first = new RgbImage(37, 11);   // 1221 bytes: whole 32-byte blocks and a tail
        var second = new RgbImage(37, 11);
        r.NextBytes(first.Pixels);
        r.NextBytes(second.Pixels);
        double expected = first.Pixels.Zip(second.Pixels, (a, b) => (double)Math.Abs(a - b)).Sum() / (255.0 * first.Pixels.Length);

        var detector = new SceneChangeDetector();
        Assert.Equal(1, detector.Compare(first));            // nothing to compare with yet
        Assert.Equal(expected, detector.Compare(second), 12);
        Assert.Equal(0, detector.Compare(second));
    }
}
