using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Compositing;

/// <summary>
/// out = α·frame + (1 − α)·background, per pixel at full resolution, in place over the frame. A blurred
/// background is a separable box blur (three passes ≈ Gaussian) of the frame, computed into a buffer this
/// compositor owns and reuses.
/// </summary>
public sealed class Compositor
{
    private readonly Background _background;
    private RgbImage? _blurred;
    private float[] _line = [];

    public Compositor(Background background) => _background = background;

    public void Apply(RgbImage frame, FloatPlane alpha)
    {
        if (alpha.Width != frame.Width || alpha.Height != frame.Height)
            throw new ArgumentException($"matte {alpha} does not match frame {frame}");
        switch (_background)
        {
            case Background.Color c: BlendColor(frame, alpha, c); break;
            case Background.Blur b: BlendImage(frame, alpha, BlurInto(frame, b.Radius)); break;
        }
    }

    private static void BlendColor(RgbImage frame, FloatPlane alpha, Background.Color c)
    {
        var px = frame.Pixels;
        var a = alpha.Data;
        for (int i = 0, n = frame.Width * frame.Height; i < n; i++)
        {
            float k = Math.Clamp(a[i], 0f, 1f);
            int p = 3 * i;
            px[p] = (byte)(c.R + (px[p] - c.R) * k + 0.5f);
            px[p + 1] = (byte)(c.G + (px[p + 1] - c.G) * k + 0.5f);
            px[p + 2] = (byte)(c.B + (px[p + 2] - c.B) * k + 0.5f);
        }
    }

    private static void BlendImage(RgbImage frame, FloatPlane alpha, RgbImage background)
    {
        var px = frame.Pixels;
        var bg = background.Pixels;
        var a = alpha.Data;
        for (int i = 0, n = frame.Width * frame.Height; i < n; i++)
        {
            float k = Math.Clamp(a[i], 0f, 1f);
            for (int c = 0, p = 3 * i; c < 3; c++, p++) px[p] = (byte)(bg[p] + (px[p] - bg[p]) * k + 0.5f);
        }
    }

    private RgbImage BlurInto(RgbImage frame, int radius)
    {
        if (_blurred is null || _blurred.Width != frame.Width || _blurred.Height != frame.Height)
        {
            _blurred = new RgbImage(frame.Width, frame.Height);
            _line = new float[Math.Max(frame.Width, frame.Height) * 3];
        }
        frame.Pixels.CopyTo(_blurred.Pixels, 0);
        int r = Math.Max(1, radius / 3);
        for (int pass = 0; pass < 3; pass++)
        {
            BoxPass(_blurred.Pixels, frame.Width, frame.Height, r, horizontal: true);
            BoxPass(_blurred.Pixels, frame.Width, frame.Height, r, horizontal: false);
        }
        return _blurred;
    }

    /// <summary>One running-sum box pass along rows or columns, edges clamped.</summary>
    private void BoxPass(byte[] px, int width, int height, int r, bool horizontal)
    {
        int lines = horizontal ? height : width, length = horizontal ? width : height;
        int step = horizontal ? 3 : 3 * width;
        float norm = 1f / (2 * r + 1);
        for (int l = 0; l < lines; l++)
        {
            int start = horizontal ? l * width * 3 : l * 3;
            for (int c = 0; c < 3; c++)
            {
                float sum = 0;
                for (int k = -r; k <= r; k++) sum += px[start + Math.Clamp(k, 0, length - 1) * step + c];
                for (int i = 0; i < length; i++)
                {
                    _line[i * 3 + c] = sum * norm;
                    sum += px[start + Math.Min(i + r + 1, length - 1) * step + c] - px[start + Math.Max(i - r, 0) * step + c];
                }
            }
            for (int i = 0; i < length; i++)
                for (int c = 0; c < 3; c++) px[start + i * step + c] = (byte)(_line[i * 3 + c] + 0.5f);
        }
    }
}
