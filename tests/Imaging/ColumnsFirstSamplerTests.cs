using StreamMatte.Imaging;

namespace StreamMatte.Tests.Imaging;

/// <summary>The columns-first sampler reads the same bilinear picture as the row-by-row one.</summary>
public class ColumnsFirstSamplerTests
{
    [Theory]
    [InlineData(37, 21, 3, 203, 97)]
    [InlineData(256, 144, 3, 1280, 720)]
    [InlineData(50, 30, 1, 333, 120)]
    public void It_samples_like_the_row_by_row_bilinear_sampler(int lowWidth, int lowHeight, int channels, int fullWidth, int fullHeight)
    {
        var r = new Random(lowWidth);
        var low = new FloatImage(lowWidth, lowHeight, channels);
        for (int i = 0; i < low.Data.Length; i++) low.Data[i] = (float)r.NextDouble() * 255;
        var reference = new BilinearRowSampler();
        reference.Configure(lowWidth, lowHeight, channels, fullWidth, fullHeight);
        var sampler = new ColumnsFirstSampler();
        sampler.Configure(lowWidth, lowHeight, channels, fullWidth, fullHeight);
        sampler.Prepare(low);

        var expected = new float[fullWidth * channels];
        var floats = new float[fullWidth * channels];
        var bytes = new byte[fullWidth * channels];
        int from = fullWidth / 3, to = fullWidth - 5;   // a part of the row, as the compositor asks for edge runs
        for (int y = 0; y < fullHeight; y++)
        {
            reference.SampleRow(low, y, expected);
            sampler.SelectRow(y);
            sampler.SampleRange(floats, 0, fullWidth);
            sampler.SampleRangeToBytes(bytes, from, to);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], floats[i], 1e-3f);
            for (int i = channels * from; i < channels * to; i++) Assert.InRange(bytes[i], PixelKernels.ToByte(expected[i] - 0.01f), PixelKernels.ToByte(expected[i] + 0.01f));
        }
        Assert.Equal(0, bytes[0]);   // outside the asked range nothing is written
    }

    [Fact]
    public void A_picture_of_the_wrong_size_is_refused()
    {
        var sampler = new ColumnsFirstSampler();
        sampler.Configure(10, 10, 3, 40, 40);
        Assert.Throws<ArgumentException>(() => sampler.Prepare(new FloatImage(10, 11, 3)));
    }
}
