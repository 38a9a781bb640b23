using System.Diagnostics;
using System.Globalization;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Video;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Pipeline.Sources;

/// <summary>What the camera sends: MJPEG (compressed, what USB cameras need for 720p30 and up) or raw YUYV.</summary>
public enum CameraFormat { Mjpeg, Yuyv }

/// <summary>
/// A V4L2 camera read by ffmpeg (-f v4l2) and decoded to rgb24: "cam0" is /dev/video0. Live: frames are stamped
/// with the wall clock when they arrive. A missing device, or one that is not a camera, is a clear error naming
/// what the machine does have.
/// </summary>
public sealed class CameraSource : IFrameSource
{
    private readonly VideoReader _reader;
    private readonly Stopwatch _clock = new();

    public CameraSource(string name, (int Width, int Height)? size = null, double? frameRate = null, CameraFormat format = CameraFormat.Mjpeg)
    {
        string device = DevicePath(name);
        if (!File.Exists(device))
        {
            var nodes = V4l2Devices.List();
            string have = nodes.Count == 0 ? "this machine has no /dev/video* devices"
                : "the machine has " + string.Join(", ", nodes.Select(n => $"{n.Path} ({n.Kind})"));
            throw new FileNotFoundException($"camera '{name}' ({device}) not found: {have}. Run `stream-matte doctor` to check cameras.", device);
        }
        var node = V4l2Devices.Query(device);
        if (node.Kind == VideoNodeKind.LoopbackOutput)
            throw new ArgumentException($"{device} is a virtual camera (v4l2loopback \"{node.Card}\"), not a real one: pass the webcam's node as --input");
        var (w, h) = size ?? (1280, 720);
        double fps = frameRate ?? 30;
        var info = new MediaInfo(w, h, fps, fps.ToString(CultureInfo.InvariantCulture), null, false, "", "v4l2");
        _reader = new VideoReader(device, new VideoReaderOptions { InputArguments = Arguments(w, h, fps, format), Size = (w, h) }, info);
        Format = new VideoFormat(w, h, fps, info.FrameRateText);
        Description = $"camera {device} ({node.Card}, {format} {w}x{h} @ {fps} fps)";
    }

    /// <summary>"cam0" → /dev/video0; a path is kept.</summary>
    public static string DevicePath(string name) =>
        name.StartsWith("cam", StringComparison.Ordinal) && int.TryParse(name.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? $"/dev/video{n}" : name;

    public static bool IsCamera(string input) =>
        input.StartsWith("/dev/video", StringComparison.Ordinal) ||
        (input.StartsWith("cam", StringComparison.Ordinal) && input.Length > 3 && input[3..].All(char.IsAsciiDigit));

    /// <summary>ffmpeg's demuxer options: the camera negotiates the nearest size and rate it supports.</summary>
    public static string[] Arguments(int width, int height, double fps, CameraFormat format) =>
    [
        "-f", "v4l2", "-input_format", format == CameraFormat.Mjpeg ? "mjpeg" : "yuyv422",
        "-video_size", $"{width}x{height}", "-framerate", fps.ToString(CultureInfo.InvariantCulture),
        "-thread_queue_size", "4",
    ];

    public VideoFormat Format { get; }
    public bool IsLive => true;
    public string Description { get; }

    public bool Read(RgbImage image, out TimeSpan timestamp)
    {
        if (!_clock.IsRunning) _clock.Start();
        bool ok = _reader.ReadFrame(image);
        timestamp = _clock.Elapsed;
        return ok;
    }

    public void Dispose() => _reader.Dispose();
}
