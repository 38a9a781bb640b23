using StreamMatte.Imaging;
using StreamMatte.Pipeline.Compositing;

namespace StreamMatte.Tests.Pipeline;

public class CompositingTests
{
    private static (RgbImage Frame, FloatPlane Alpha) Synthetic(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var frame = new RgbImage(w, h);
        rng.NextBytes(frame.Pixels);
        var alpha = new FloatPlane(w, h);
        for (int i = 0; i < alpha.Data.Length; i++) alpha.Data[i] = i % 7 == 0 ? 1f : i % 5 == 0 ? 0f : (float)rng.NextDouble();
        return (frame, alpha);
    }

    [Fact]
    public void Colour_background_follows_the_compositing_formula_within_one_grey_level()
    {
        var (frame, alpha) = Synthetic(37, 23, 1);
        var original = (byte[])frame.Pixels.Clone();
        var colour = new Background.Color(10, 200, 90);
        new Compositor(colour).Apply(frame, alpha);
        byte[] bg = [10, 200, 90];
        for (int i = 0; i < alpha.Data.Length; i++)
            for (int c = 0; c < 3; c++)
            {
                double expected = alpha.Data[i] * original[3 * i + c] + (1 - alpha.Data[i]) * bg[c];
                Assert.True(Math.Abs(frame.Pixels[3 * i + c] - expected) <= 1, $"pixel {i} channel {c}: {frame.Pixels[3 * i + c]} vs {expected:F2}");
            }
    }

    [Fact]
    public void Blur_leaves_the_foreground_untouched_and_changes_the_background()
    {
        var (frame, alpha) = Synthetic(64, 48, 2);
        var original = (byte[])frame.Pixels.Clone();
        new Compositor(new Background.Blur(9)).Apply(frame, alpha);
        int changedBackground = 0;
        for (int i = 0; i < alpha.Data.Length; i++)
            for (int c = 0; c < 3; c++)
            {
                if (alpha.Data[i] == 1f) Assert.Equal(original[3 * i + c], frame.Pixels[3 * i + c]);
                if (alpha.Data[i] == 0f && frame.Pixels[3 * i + c] != original[3 * i + c]) changedBackground++;
            }
        Assert.True(changedBackground > 0);
    }

    [Theory]
    [InlineData("green", 0, 177, 64)]
    [InlineData("#112233", 0x11, 0x22, 0x33)]
    [InlineData("color:#ffffff", 255, 255, 255)]
    public void Background_colours_parse(string text, int r, int g, int b) =>
        Assert.Equal(new Background.Color((byte)r, (byte)g, (byte)b), Background.Parse(text));

    [Fact]
    public void Background_parse_rejects_unknown_values_with_the_choices() =>
        Assert.Contains("#RRGGBB", Assert.Throws<ArgumentException>(() => Background.Parse("purple-ish")).Message);

    [Fact]
    public void Upsampling_keeps_constants_and_interpolates_between_samples()
    {
        var small = new FloatPlane(2, 1);
        small.Data[0] = 0;
        small.Data[1] = 1;
        var big = new FloatPlane(8, 3);
        new MatteUpsampler().Upsample(small, big);
        for (int y = 0; y < 3; y++)
        {
            Assert.Equal(0f, big[0, y]);
            Assert.Equal(1f, big[7, y]);
            for (int x = 1; x < 8; x++) Assert.True(big[x, y] >= big[x - 1, y]);
        }
        Assert.Equal(0.5f, 0.5f * (big[3, 0] + big[4, 0]), 3);
    }
}
