using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Sources;

/// <summary>
/// A synthetic picture (<c>--input testsrc</c>): a textured background with a bright figure moving across it
/// and the frame number stamped along the top (<see cref="FrameStamp"/>). Needs no camera and no file;
/// wrap it in a <see cref="RealtimePacer"/> to have frames delivered at the frame rate, like a camera.
/// </summary>
public sealed class TestPatternSource(int width, int height, double frameRate = 30, long? frameCount = null) : IFrameSource
{
    private long _index;

    public VideoFormat Format { get; } = new(width, height, frameRate, FrameCount: frameCount);
    public bool IsLive => false;
    public string Description => "test pattern";

    /// <summary>The figure's centre and radii in frame <paramref name="index"/> (a tall ellipse sweeping left and right).</summary>
    public (double X, double Y, double Rx, double Ry) Figure(long index)
    {
        double phase = index / (Format.FrameRate * 4) * 2 * Math.PI;
        return (width * (0.5 + 0.3 * Math.Sin(phase)), height * 0.7, width * 0.12, height * 0.45);
    }

    public bool Read(RgbImage image, out TimeSpan timestamp)
    {
        timestamp = TimeSpan.FromSeconds(_index / Format.FrameRate);
        if (frameCount is { } n && _index >= n) return false;
        if (image.Width != width || image.Height != height) throw new ArgumentException($"frame is {image}, the pattern is {width}x{height}");
        Draw(image, _index);
        _index++;
        return true;
    }

    private void Draw(RgbImage image, long index)
    {
        var (cx, cy, rx, ry) = Figure(index);
        for (int y = 0; y < height; y++)
        {
            var row = image.Row(y);
            double dy = (y - cy) / ry;
            for (int x = 0; x < width; x++)
            {
                double dx = (x - cx) / rx;
                bool inside = dx * dx + dy * dy <= 1;
                int p = 3 * x;
                if (inside) { row[p] = 230; row[p + 1] = 180; row[p + 2] = 150; }
                else
                {
                    byte checker = (byte)((((x >> 4) ^ (y >> 4)) & 1) == 1 ? 70 : 110);
                    row[p] = checker; row[p + 1] = (byte)(checker + 20); row[p + 2] = (byte)(checker + 40);
                }
            }
        }
        FrameStamp.Write(image, index);
    }

    public void Dispose() { }
}
