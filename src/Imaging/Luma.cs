namespace StreamMatte.Imaging;

/// <summary>Rec. 601 luma in 0..1 from rgb24: the single-channel guide of the matte filters and the motion measure.</summary>
public static class Luma
{
    private const float R = 0.299f / 255, G = 0.587f / 255, B = 0.114f / 255;

    public static float Of(byte r, byte g, byte b) => r * R + g * G + b * B;

    /// <summary>Luma of <paramref name="image"/> into channel <paramref name="channel"/> of <paramref name="dst"/> (same size).</summary>
    public static void Extract(RgbImage image, FloatImage dst, int channel = 0)
    {
        if (image.Width != dst.Width || image.Height != dst.Height)
            throw new ArgumentException($"luma of {image} needs a plane of the same size, got {dst}");
        var px = image.Pixels;
        var data = dst.Data;
        int c = dst.Channels;
        for (int i = 0, n = image.Width * image.Height; i < n; i++)
            data[i * c + channel] = px[3 * i] * R + px[3 * i + 1] * G + px[3 * i + 2] * B;
    }

    /// <summary>Luma of one rgb24 row.</summary>
    public static void Row(ReadOnlySpan<byte> rgb, Span<float> dst)
    {
        for (int x = 0; x < dst.Length; x++) dst[x] = rgb[3 * x] * R + rgb[3 * x + 1] * G + rgb[3 * x + 2] * B;
    }
}
