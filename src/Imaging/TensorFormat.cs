namespace StreamMatte.Imaging;

/// <summary>Memory order of an image tensor: planar channels (NCHW) or interleaved (NHWC).</summary>
public enum TensorLayout { Nchw, Nhwc }

/// <summary>Channel order a network expects.</summary>
public enum ChannelOrder { Rgb, Bgr }

/// <summary>
/// How 8-bit pixel values x (0..255) become network inputs: (x − Mean[c]) / Std[c] per output channel, in the
/// network's channel order.
/// </summary>
public sealed record PixelNormalization(float[] Mean, float[] Std)
{
    /// <summary>x / 255: inputs in 0..1.</summary>
    public static PixelNormalization ZeroToOne { get; } = new([0, 0, 0], [255, 255, 255]);

    /// <summary>x / 127.5 − 1: inputs in −1..1.</summary>
    public static PixelNormalization MinusOneToOne { get; } = new([127.5f, 127.5f, 127.5f], [127.5f, 127.5f, 127.5f]);

    /// <summary>Raw 0..255.</summary>
    public static PixelNormalization Raw { get; } = new([0, 0, 0], [1, 1, 1]);

    /// <summary>ImageNet mean/std on 0..1 inputs, expressed on 0..255.</summary>
    public static PixelNormalization ImageNet { get; } = new(
        [0.485f * 255, 0.456f * 255, 0.406f * 255], [0.229f * 255, 0.224f * 255, 0.225f * 255]);

    public override string ToString() =>
        $"(x - [{string.Join(",", Mean.Select(m => m.ToString("0.###")))}]) / [{string.Join(",", Std.Select(s => s.ToString("0.###")))}]";
}
