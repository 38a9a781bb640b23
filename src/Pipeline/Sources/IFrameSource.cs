using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Sources;

/// <summary>The shape of a video stream: size and rate (and, for files, the length and whether audio comes along).</summary>
public sealed record VideoFormat(int Width, int Height, double FrameRate, string FrameRateText = "", long? FrameCount = null, string? AudioFrom = null)
{
    public string Rate => FrameRateText.Length > 0 ? FrameRateText : FrameRate.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
    public override string ToString() => $"{Width}x{Height} @ {FrameRate:0.##} fps";
}

/// <summary>
/// Where frames come from. <see cref="Read"/> fills a frame the pipeline owns (exact size, no allocation)
/// and blocks until one is there. A live source (camera, a file paced at its own rate) makes the pipeline
/// run in live mode: newest frame wins, latency never builds up.
/// </summary>
public interface IFrameSource : IDisposable
{
    VideoFormat Format { get; }

    bool IsLive { get; }

    /// <summary>A short description for the start-up log, e.g. "file in.mp4 (h264)".</summary>
    string Description { get; }

    /// <summary>Fills <paramref name="image"/> with the next frame; false at the end of the stream.</summary>
    bool Read(RgbImage image, out TimeSpan timestamp);
}
