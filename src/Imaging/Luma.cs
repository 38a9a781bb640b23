namespace StreamMatte.Imaging;

/// <summary>Rec. 601 luma in 0..1 from rgb24: the single-channel guide of the matte filters and the motion measure.</summary>
public static class Luma
{
    /// <summary>Weights per 0..255 channel value (luma comes out in 0..1).</summary>
    public const float R = 0.299f / 255, G = 0.587f / 255, B = 0.114f / 255;

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
}
