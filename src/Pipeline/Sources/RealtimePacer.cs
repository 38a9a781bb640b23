using System.Diagnostics;
using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Sources;

/// <summary>
/// Plays any source at its own frame rate, as a camera would deliver it (<c>--realtime</c>): each frame is
/// released at start + its timestamp, and the pipeline runs in live mode. Emulates a webcam with a file.
/// </summary>
public sealed class RealtimePacer(IFrameSource inner) : IFrameSource
{
    private long _start = -1;

    public VideoFormat Format => inner.Format;
    public bool IsLive => true;
    public string Description => $"{inner.Description}, paced at {inner.Format.FrameRate:0.##} fps (--realtime)";

    public bool Read(RgbImage image, out TimeSpan timestamp)
    {
        if (!inner.Read(image, out timestamp)) return false;
        if (_start < 0) _start = Stopwatch.GetTimestamp() - (long)(timestamp.TotalSeconds * Stopwatch.Frequency);
        long due = _start + (long)(timestamp.TotalSeconds * Stopwatch.Frequency);
        long wait = due - Stopwatch.GetTimestamp();
        if (wait > 0) Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        return true;
    }

    public void Dispose() => inner.Dispose();
}
