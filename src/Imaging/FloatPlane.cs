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

    /// <summary>A plane over an existing array (e.g. a network's pinned output buffer), so nothing is copied.</summary>
    public FloatPlane(int width, int height, float[] data)
    {
        if (data.Length < width * height) throw new ArgumentException($"a {width}x{height} plane needs {width * height} floats, the array has {data.Length}");
        Width = width;
        Height = height;
        Data = data;
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
