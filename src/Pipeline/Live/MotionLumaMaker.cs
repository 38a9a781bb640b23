using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Makes a <see cref="MotionLuma"/> from a frame's working-size picture: area-shrunk to the motion size, then luma.
/// The network's thread (for the matte's frame) and the frame path (for the current frame) both start from the working
/// picture with the same steps, so two identical frames give identical lumas and the flow between them is zero.
/// Buffers are made once per size and kept (live mode's network sizes come and go).
/// </summary>
internal sealed class MotionLumaMaker
{
    private readonly PictureShrinker _shrinker = new();

    public void Make(RgbImage picture, int width, int height, MotionLuma into)
    {
        var small = _shrinker.Shrink(picture, width, height);
        into.Resize(width, height);
        var px = small.Pixels;
        var luma = into.Data;
        for (int i = 0, n = width * height; i < n; i++)
            luma[i] = (byte)(255 * (px[3 * i] * Luma.R + px[3 * i + 1] * Luma.G + px[3 * i + 2] * Luma.B) + 0.5f);   // the guide's weights, in 0..255
    }
}
