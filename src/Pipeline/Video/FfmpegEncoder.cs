namespace StreamMatte.Pipeline.Video;

/// <summary>Raw pixel layouts the encoder process accepts on its stdin.</summary>
public enum RawPixelFormat { Rgb24, Rgba, Gray }

/// <summary>
/// An ffmpeg process encoding raw frames written to its stdin. The output goes to a temporary name beside
/// the target and is moved into place only when ffmpeg finished cleanly, so a failed or killed run never
/// leaves a half-written file. The caller supplies the codec arguments (see <see cref="Sinks.OutputFormat"/>).
/// <para>
/// Not FFMpegCore's RawVideoPipeSource: that one pulls frames from an enumerator on its own task, where the output
/// stage pushes a pooled frame and must have it written before returning it to the pool. But our stdin pipe is not
/// faster: 60 frames of 720p rgb24, transport only, took 564.7 ± 34.8 ms here (the pipe widened to 1 MiB) against
/// 455.7 ± 34.3 ms through FFMpegCore's, on a quiet machine, 15 iterations (bench/results/FramePipeBenchmarks.md). Moving onto
/// FFMpegCore's process handling with a pipe source that hands its stream to <see cref="Write"/> is open work (issue 19).
/// </para>
/// </summary>
public sealed class FfmpegEncoder : IDisposable
{
    private readonly FfmpegProcess _ffmpeg;
    private readonly Stream _stdin;
    private readonly string _finalPath, _partialPath;
    private readonly bool _isSequence;
    private bool _completed;

    public long FramesWritten { get; private set; }
    public int FrameBytes { get; }

    /// <param name="path">Target file, or a pattern with %d for an image sequence.</param>
    /// <param name="audioFrom">A file whose first audio track is muxed in (codec chosen by <paramref name="audioArgs"/>).</param>
    public FfmpegEncoder(string path, int width, int height, string frameRate, RawPixelFormat input,
        IReadOnlyList<string> codecArgs, string? audioFrom = null, IReadOnlyList<string>? audioArgs = null)
    {
        _finalPath = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(_finalPath) ?? ".";
        OutputFolder.Ensure(dir, "output folder");
        _isSequence = path.Contains('%');
        // An image sequence is written into a hidden folder and its files moved when complete.
        _partialPath = _isSequence
            ? Path.Combine(dir, $".{Path.GetFileName(_finalPath).Replace('%', '_')}.partial", Path.GetFileName(_finalPath))
            : Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(_finalPath)}.partial{Path.GetExtension(_finalPath)}");
        if (_isSequence) Directory.CreateDirectory(Path.GetDirectoryName(_partialPath)!);
        FrameBytes = width * height * input switch { RawPixelFormat.Rgb24 => 3, RawPixelFormat.Rgba => 4, _ => 1 };
        string pixFmt = input switch { RawPixelFormat.Rgb24 => "rgb24", RawPixelFormat.Rgba => "rgba", _ => "gray" };
        var args = new List<string> { "-y", "-f", "rawvideo", "-pix_fmt", pixFmt, "-s", $"{width}x{height}", "-framerate", frameRate, "-i", "pipe:0" };
        if (audioFrom != null)
        {
            args.AddRange(["-i", audioFrom, "-map", "0:v:0", "-map", "1:a:0?"]);
            args.AddRange(audioArgs ?? ["-c:a", "copy"]);
        }
        args.AddRange(codecArgs);
        args.Add(_partialPath);
        _ffmpeg = FfmpegProcess.Start(args, redirectInput: true);
        _stdin = _ffmpeg.StandardInput;
    }

    /// <summary>Writes one raw frame (exactly <see cref="FrameBytes"/> bytes).</summary>
    /// <exception cref="FfmpegException">The encoder died (disk full, killed, bad arguments); its own words are in the message.</exception>
    public void Write(ReadOnlySpan<byte> frame)
    {
        if (frame.Length != FrameBytes) throw new ArgumentException($"a frame is {FrameBytes} bytes here, got {frame.Length}");
        try { _stdin.Write(frame); }
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
        try { _stdin.Close(); }
        catch (IOException) { } // ffmpeg already gone: WaitForExit reports why
        _ffmpeg.WaitForExit();
        if (_isSequence)
        {
            string folder = Path.GetDirectoryName(_partialPath)!;
            foreach (var file in Directory.GetFiles(folder))
                File.Move(file, Path.Combine(Path.GetDirectoryName(_finalPath)!, Path.GetFileName(file)), overwrite: true);
            Directory.Delete(folder);
        }
        else File.Move(_partialPath, _finalPath, overwrite: true);
        _completed = true;
    }

    /// <summary>Stops the encoder now (unblocks a writer stuck on a full pipe); the partial output is deleted on dispose.</summary>
    public void Kill() => _ffmpeg.Kill();

    public void Dispose()
    {
        _ffmpeg.Dispose();
        if (_completed) return;
        if (_isSequence)
        {
            string folder = Path.GetDirectoryName(_partialPath)!;
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        else if (File.Exists(_partialPath)) File.Delete(_partialPath);
    }
}
