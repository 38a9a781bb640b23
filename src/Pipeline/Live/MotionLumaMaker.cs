using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Makes a <see cref="MotionLuma"/> from a frame's working-size picture: area-shrunk to the motion size, then luma.
/// The network's thread (for the matte's frame) and the frame path (for the current frame) both start from the working
/// picture with the same steps, so two identical frames give identical lumas and the flow between them is zero.
/// Buffers are made once per size.
/// </summary>
internal sealed class MotionLumaMaker
{
    private readonly AreaScaler _scaler = new();
    private RgbImage? _small;

    public void Make(RgbImage picture, int width, int height, MotionLuma into)
    {
        var small = picture;
        if ((picture.Width, picture.Height) != (width, height))
        {
            if (_small is null || _small.Width != width || _small.Height != height) _small = new RgbImage(width, height);
            _scaler.Scale(picture, _small);
            small = _small;
        }
        into.Resize(width, height);
        var px = small.Pixels;
        var luma = into.Data;
        for (int i = 0, n = width * height; i < n; i++)
            luma[i] = (byte)(255 * (px[3 * i] * Luma.R + px[3 * i + 1] * Luma.G + px[3 * i + 2] * Luma.B) + 0.5f);   // the guide's weights, in 0..255
    }
}
