using System.Globalization;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Jobs;

/// <summary>
/// The presentation timestamps of every frame of a file's first video stream, read by ffprobe from the packets
/// (demuxing only, no decoding: seconds for an hour of video). With them a chunk can start exactly: a seek to a time
/// between frame n−1 and frame n makes ffmpeg decode from the keyframe before and deliver from frame n.
/// </summary>
public sealed class FrameTimeline
{
    private readonly double[] _times;

    private FrameTimeline(double[] times, double startTime, bool usable)
    {
        _times = times;
        StartTime = startTime;
        HasTimestamps = usable;
    }

    public int FrameCount => _times.Length;

    /// <summary>The container's start time: ffmpeg's -ss counts from it.</summary>
    public double StartTime { get; }

    /// <summary>False when some packet has no timestamp or two frames share one: chunks then count frames from the start.</summary>
    public bool HasTimestamps { get; }

    /// <summary>The -ss value that makes frame <paramref name="frame"/> (≥ 1) the first one delivered.</summary>
    public double SeekTo(long frame)
    {
        if (!HasTimestamps) throw new InvalidOperationException("this file's frames have no usable timestamps");
        if (frame < 1 || frame >= _times.Length) throw new ArgumentOutOfRangeException(nameof(frame), frame, $"the file has {_times.Length} frames");
        return (_times[frame - 1] + _times[frame]) / 2 - StartTime;
    }

    public static FrameTimeline Probe(string path)
    {
        string packets = FfmpegProcess.Probe(["-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", path]);
        string format = FfmpegProcess.Probe(["-show_entries", "format=start_time", "-of", "csv=p=0", path]);
        var times = new List<double>();
        bool usable = true;
        foreach (var line in packets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string value = line.TrimEnd(',');
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double t)) times.Add(t);
            else { times.Add(double.NaN); usable = false; }
        }
        var sorted = times.ToArray();
        Array.Sort(sorted); // packets come in decoding order; frames are shown in timestamp order
        for (int i = 1; usable && i < sorted.Length; i++)
            if (!(sorted[i] > sorted[i - 1])) usable = false;
        double start = double.TryParse(format.Trim().TrimEnd(','), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s
            : sorted.Length > 0 && usable ? sorted[0] : 0;
        return new FrameTimeline(sorted, start, usable);
    }
}
