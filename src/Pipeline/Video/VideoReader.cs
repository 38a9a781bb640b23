using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Video;

/// <summary>
/// Decodes a video file, image or image sequence to rgb24 frames through an ffmpeg process, reading exact
/// frame-sized chunks from its stdout. A short final read means a truncated stream and is an error, not a frame.
/// </summary>
public sealed class VideoReader : IDisposable
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly Stream _stdout;
    private readonly string _path;

    public int Width { get; }
    public int Height { get; }
    public MediaInfo Info { get; }
    public long FramesRead { get; private set; }

    /// <param name="size">Scale to this size in ffmpeg (null: the file's own size).</param>
    public VideoReader(string path, (int Width, int Height)? size = null, int? maxFrames = null)
    {
        _path = path;
        Info = MediaInfo.Probe(path);
        (Width, Height) = size ?? (Info.Width, Info.Height);
        var args = new List<string> { "-i", path, "-map", "0:v:0" };
        if (maxFrames is { } m) args.AddRange(["-frames:v", m.ToString()]);
        if (size != null) args.AddRange(["-vf", $"scale={Width}:{Height}:flags=area"]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "-vsync", "passthrough", "pipe:1"]);
        _ffmpeg = FfmpegProcess.Start(args);
        _stdout = _ffmpeg.StandardOutput;
    }

    /// <summary>Reads the next frame into <paramref name="frame"/>; false at the end of the stream.</summary>
    /// <exception cref="FfmpegException">ffmpeg failed or the stream ended inside a frame.</exception>
    public bool ReadFrame(RgbImage frame)
    {
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frame is {frame}, the reader produces {Width}x{Height}");
        int read = _stdout.ReadAtLeast(frame.Pixels, frame.Pixels.Length, throwOnEndOfStream: false);
        if (read == frame.Pixels.Length)
        {
            FramesRead++;
            return true;
        }
        _ffmpeg.WaitForExit(); // throws with ffmpeg's message if decoding failed
        if (read != 0)
            throw new FfmpegException($"'{_path}' ended inside frame {FramesRead} ({read} of {frame.Pixels.Length} bytes): the file is truncated");
        return false;
    }

    /// <summary>Decodes a still image (or a video's first frame).</summary>
    public static RgbImage LoadImage(string path, (int Width, int Height)? size = null)
    {
        using var reader = new VideoReader(path, size, maxFrames: 1);
        var image = new RgbImage(reader.Width, reader.Height);
        if (!reader.ReadFrame(image)) throw new FfmpegException($"'{path}' holds no image");
        return image;
    }

    public void Dispose() => _ffmpeg.Dispose();
}
