using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Video;

/// <summary>
/// Encodes rgb24 frames written to an ffmpeg process's stdin: H.264 MP4 (yuv420p, CRF 18, +faststart) by
/// default, at the input's frame rate, with the input's audio copied in when it has one. The file is written
/// to a temporary name and renamed into place only when ffmpeg finished cleanly, so a failed run never leaves
/// a half-written output behind.
/// </summary>
public sealed class VideoWriter : IDisposable
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly Stream _stdin;
    private readonly string _finalPath, _partialPath;
    private bool _completed;

    public int Width { get; }
    public int Height { get; }
    public long FramesWritten { get; private set; }

    public VideoWriter(string path, int width, int height, string frameRate, string? audioFrom = null)
    {
        if (width % 2 != 0 || height % 2 != 0)
            throw new ArgumentException($"H.264 with 4:2:0 chroma needs even dimensions; got {width}x{height}");
        Width = width;
        Height = height;
        _finalPath = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(_finalPath);
        if (dir != null && !Directory.Exists(dir)) throw new DirectoryNotFoundException($"output folder '{dir}' does not exist");
        _partialPath = Path.Combine(dir ?? ".", $".{Path.GetFileNameWithoutExtension(_finalPath)}.partial{Path.GetExtension(_finalPath)}");
        var args = new List<string> { "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-framerate", frameRate, "-i", "pipe:0" };
        if (audioFrom != null) args.AddRange(["-i", audioFrom, "-map", "0:v:0", "-map", "1:a:0?", "-c:a", "copy"]);
        args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart", _partialPath]);
        _ffmpeg = FfmpegProcess.Start(args, redirectInput: true);
        _stdin = _ffmpeg.StandardInput;
    }

    public void Write(RgbImage frame)
    {
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frame is {frame}, the writer encodes {Width}x{Height}");
        try { _stdin.Write(frame.Pixels); }
        catch (IOException)
        {
            _ffmpeg.Kill();
            throw new FfmpegException($"the encoder stopped after {FramesWritten} frames: {_ffmpeg.FirstUsefulError()}");
        }
        FramesWritten++;
    }

    /// <summary>Closes the stream, waits for ffmpeg to finish the file, and moves it into place.</summary>
    public void Complete()
    {
        _stdin.Close();
        _ffmpeg.WaitForExit();
        File.Move(_partialPath, _finalPath, overwrite: true);
        _completed = true;
    }

    public void Dispose()
    {
        _ffmpeg.Dispose();
        if (!_completed && File.Exists(_partialPath)) File.Delete(_partialPath);
    }
}
