namespace StreamMatte.Imaging;

/// <summary>A single-channel float image, e.g. a matte with α in 0..1. Allocated once per size, then reused.</summary>
public sealed class FloatPlane
{
    public int Width { get; private set; }
    public int Height { get; private set; }
    public float[] Data { get; private set; }

    public FloatPlane(int width, int height)
    {
        Width = width;
        Height = height;
        Data = new float[checked(width * height)];
    }

    public Span<float> Row(int y) => Data.AsSpan(y * Width, Width);

    public float this[int x, int y]
    {
        get => Data[y * Width + x];
        set => Data[y * Width + x] = value;
    }

    /// <summary>Changes the size, reallocating only when the new size needs more room (set-up time).</summary>
    public void Resize(int width, int height)
    {
        if (width * height > Data.Length) Data = new float[checked(width * height)];
        Width = width;
        Height = height;
    }

    public override string ToString() => $"{Width}x{Height} float";
}
