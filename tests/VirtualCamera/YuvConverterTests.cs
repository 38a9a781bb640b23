using StreamMatte.Imaging;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Tests.VirtualCamera;

public class YuvConverterTests
{
    // The scalar reference: BT.601 limited range, integer coefficients, rounded chroma means.
    private static byte Y(int r, int g, int b) => (byte)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
    private static byte U(int r, int g, int b) => (byte)(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
    private static byte V(int r, int g, int b) => (byte)(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);

    private static byte[] Reference(RgbImage img, YuvFormat format)
    {
        int w = img.Width, h = img.Height, half = w / 2;
        var p = img.Pixels;
        int C(int x, int y, int c) => p[(y * w + x) * 3 + c];
        var dst = new byte[YuvConverter.FrameBytes(format, w, h)];
        if (format == YuvFormat.Yuyv)
        {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < half; x++)
                {
                    int r = (C(2 * x, y, 0) + C(2 * x + 1, y, 0) + 1) >> 1, g = (C(2 * x, y, 1) + C(2 * x + 1, y, 1) + 1) >> 1, b = (C(2 * x, y, 2) + C(2 * x + 1, y, 2) + 1) >> 1;
                    int o = (y * w + 2 * x) * 2;
                    dst[o] = Y(C(2 * x, y, 0), C(2 * x, y, 1), C(2 * x, y, 2));
                    dst[o + 1] = U(r, g, b);
                    dst[o + 2] = Y(C(2 * x + 1, y, 0), C(2 * x + 1, y, 1), C(2 * x + 1, y, 2));
                    dst[o + 3] = V(r, g, b);
                }
            return dst;
        }
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) dst[y * w + x] = Y(C(x, y, 0), C(x, y, 1), C(x, y, 2));
        for (int y = 0; y < h / 2; y++)
            for (int x = 0; x < half; x++)
            {
                int M(int c) => (C(2 * x, 2 * y, c) + C(2 * x + 1, 2 * y, c) + C(2 * x, 2 * y + 1, c) + C(2 * x + 1, 2 * y + 1, c) + 2) >> 2;
                byte u = U(M(0), M(1), M(2)), v = V(M(0), M(1), M(2));
                if (format == YuvFormat.I420)
                {
                    dst[w * h + y * half + x] = u;
                    dst[w * h + half * (h / 2) + y * half + x] = v;
                }
                else
                {
                    dst[w * h + y * w + 2 * x] = u;
                    dst[w * h + y * w + 2 * x + 1] = v;
                }
            }
        return dst;
    }

    [Theory]
    [InlineData(YuvFormat.Yuyv, 64, 36)]
    [InlineData(YuvFormat.I420, 64, 36)]
    [InlineData(YuvFormat.Nv12, 64, 36)]
    [InlineData(YuvFormat.Yuyv, 1282, 722)]   // widths that leave a partial vector at the row's end
    [InlineData(YuvFormat.I420, 38, 6)]
    [InlineData(YuvFormat.Nv12, 1282, 722)]
    public void Simd_conversion_equals_the_scalar_reference_exactly(YuvFormat format, int w, int h)
    {
        var img = new RgbImage(w, h);
        new Random(w * h).NextBytes(img.Pixels);
        // Include the extremes, where a lane would overflow if the arithmetic were wrong.
        for (int i = 0; i < 12; i++) img.Pixels[i] = (byte)(i % 2 == 0 ? 255 : 0);
        img.Pixels.AsSpan(3 * w, 3 * w).Fill(255);
        var expected = Reference(img, format);
        var actual = new byte[YuvConverter.FrameBytes(format, w, h)];
        new YuvConverter().Convert(img, format, actual);
        Assert.Equal(expected, actual);
        // The portable path too (the AVX2 YUYV row is the default where the CPU has it).
        actual.AsSpan().Clear();
        new YuvConverter { UseAvx2 = false }.Convert(img, format, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void White_black_and_grey_land_on_the_limited_range_values()
    {
        var img = new RgbImage(4, 2);
        img.Pixels.AsSpan(0, 6).Fill(255);     // two white pixels
        img.Pixels.AsSpan(6, 6).Fill(0);       // two black pixels
        img.Pixels.AsSpan(12).Fill(128);
        var yuyv = new byte[YuvConverter.FrameBytes(YuvFormat.Yuyv, 4, 2)];
        new YuvConverter().Convert(img, YuvFormat.Yuyv, yuyv);
        Assert.Equal(new byte[] { 235, 128, 235, 128, 16, 128, 16, 128 }, yuyv[..8]);
    }

    [Fact]
    public void Odd_dimensions_are_refused()
    {
        var img = new RgbImage(5, 4);
        Assert.Throws<ArgumentException>(() => new YuvConverter().Convert(img, YuvFormat.I420, new byte[100]));
    }
}
