namespace StreamMatte.Imaging;

/// <summary>
/// A float image with interleaved channels (e.g. RGB, or several planes packed side by side so one box-filter
/// pass serves them all). Low-resolution working images of the matte and background stages use it.
/// </summary>
public sealed class FloatImage
{
    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public float[] Data { get; }
    public int Stride => Width * Channels;

    public FloatImage(int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Width = width;
        Height = height;
        Channels = channels;
        Data = new float[checked(width * height * channels)];
    }

    public Span<float> Row(int y) => Data.AsSpan(y * Stride, Stride);

    public bool HasSize(int width, int height, int channels) => Width == width && Height == height && Channels == channels;

    public override string ToString() => $"{Width}x{Height}x{Channels} float";
}
