namespace StreamMatte.Imaging;

/// <summary>
/// An 8-bit RGB image, interleaved (rgb24, as ffmpeg delivers it), rows packed (stride = 3 × width).
/// Frames are pooled and reused: the pixel array is allocated once per size.
/// </summary>
public sealed class RgbImage
{
    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }
    public int Stride => Width * 3;

    public RgbImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = GC.AllocateUninitializedArray<byte>(checked(width * height * 3));
    }

    public RgbImage(int width, int height, byte[] pixels)
    {
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"a {width}x{height} rgb24 image needs {width * height * 3} bytes, got {pixels.Length}");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public Span<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);

    public override string ToString() => $"{Width}x{Height} rgb24";
}
