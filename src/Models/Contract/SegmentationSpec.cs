using StreamMatte.Imaging;

namespace StreamMatte.Models.Contract;

/// <summary>How the network input is sized from the frame.</summary>
public abstract record InputSizePolicy
{
    /// <summary>A fixed input; the frame is stretched to it (aspect not kept) or letterboxed into it.</summary>
    public sealed record Fixed(int Width, int Height, bool Letterbox = false, float PadPixel = 0) : InputSizePolicy
    {
        public override string ToString() => $"{Width}x{Height}{(Letterbox ? " letterboxed" : " stretched")}";
    }

    /// <summary>Aspect kept: the short side scaled to <paramref name="ShortSide"/>, both sides rounded to a multiple.</summary>
    public sealed record ShortSide(int Side, int Multiple) : InputSizePolicy
    {
        public override string ToString() => $"short side {Side}, multiple of {Multiple}";
    }

    /// <summary>
    /// The picture as the pipeline hands it over (its --model-size), each side rounded to a multiple: for fully
    /// convolutional networks, whose speed and detail are then chosen by the user.
    /// </summary>
    public sealed record Native(int Multiple) : InputSizePolicy
    {
        public override string ToString() => $"the working picture, sides rounded to a multiple of {Multiple}";
    }

    public (int Width, int Height) For(int frameWidth, int frameHeight) => this switch
    {
        Fixed f => (f.Width, f.Height),
        Native n => (RoundTo(frameWidth, n.Multiple), RoundTo(frameHeight, n.Multiple)),
        ShortSide s => Scaled(frameWidth, frameHeight, s.Side, s.Multiple),
        _ => throw new NotSupportedException(GetType().Name),
    };

    private static int RoundTo(int v, int multiple) => Math.Max(multiple, (int)Math.Round((double)v / multiple) * multiple);

    private static (int, int) Scaled(int w, int h, int side, int multiple)
    {
        double scale = (double)side / Math.Min(w, h);
        int Round(double v) => Math.Max(multiple, (int)Math.Round(v / multiple) * multiple);
        return (Round(w * scale), Round(h * scale));
    }
}

/// <summary>How the network output becomes a person probability.</summary>
public abstract record OutputDecoding(TensorLayout Layout, int Channels)
{
    /// <summary>Channel <paramref name="Person"/> already holds a probability (sigmoid or softmax in the graph).</summary>
    public sealed record Probability(TensorLayout Layout, int Channels, int Person) : OutputDecoding(Layout, Channels);

    /// <summary>Two logits: person = sigmoid(logit[Person] − logit[Other]) (= softmax over the two).</summary>
    public sealed record LogitPair(TensorLayout Layout, int Person, int Other) : OutputDecoding(Layout, 2);

    public float Decode(ReadOnlySpan<float> output, int pixel, int planeSize) => this switch
    {
        Probability p => Read(output, pixel, planeSize, p.Person),
        LogitPair l => 1f / (1f + MathF.Exp(Read(output, pixel, planeSize, l.Other) - Read(output, pixel, planeSize, l.Person))),
        _ => throw new NotSupportedException(GetType().Name),
    };

    private float Read(ReadOnlySpan<float> output, int pixel, int planeSize, int channel) =>
        Layout == TensorLayout.Nchw ? output[channel * planeSize + pixel] : output[pixel * Channels + channel];
}

/// <summary>
/// Everything a per-frame segmentation/matting network needs, declared as data: how its input is sized,
/// laid out and normalised, and how its output is read. One adapter (<c>SegmentationModel</c>) runs them all.
/// </summary>
public sealed record SegmentationSpec(
    string Family,
    InputSizePolicy Size,
    TensorLayout Layout,
    ChannelOrder Order,
    PixelNormalization Normalization,
    OutputDecoding Decoding,
    bool IsTrueMatte = false)
{
    public override string ToString() =>
        $"{Family}: input {Size}, {Layout} {Order}, {Normalization}; output {Decoding.GetType().Name} ({Decoding.Layout})";
}
