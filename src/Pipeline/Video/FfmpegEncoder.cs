using FFMpegCore;
using FFMpegCore.Enums;

namespace StreamMatte.Pipeline.Video;

/// <summary>Raw pixel layouts the encoder process accepts on its input pipe.</summary>
public enum RawPixelFormat { Rgb24, Rgba, Gray }

/// <summary>
/// An ffmpeg process encoding raw frames. The output goes to a temporary name beside the target and is moved into place
/// only when ffmpeg finished cleanly, so a failed or killed run never leaves a half-written file. The caller supplies
/// the codec arguments (see <see cref="Sinks.OutputFormat"/>).
/// <para>
/// FFMpegCore builds the command, runs and ends the process, keeps its error text and owns the pipe (a Unix socket it
/// names); <see cref="FramePipeSource"/> hands that pipe to <see cref="Write"/>, which writes each pooled frame before
/// the output stage returns it. ffmpeg's stdin, which this class used before, was the slower pipe: 564.7 ± 34.8 ms
/// against FFMpegCore's 455.7 ± 34.3 ms for 60 frames of 720p rgb24, transport only. FFMpegCore's own RawVideoPipeSource
/// pulls frames from an enumerator on its task instead, which would need a hand-over per frame to know when a pooled
/// frame may go back; written from here the same socket costs about the same (bench/results/FramePipeBenchmarks.md).
/// </para>
/// </para>
/// </summary>
public sealed class FfmpegEncoder : IDisposable
{
    private const int KeptErrorLines = 20;
    private readonly FramePipeSource _source;
    private readonly Task _run;
    private readonly CancellationTokenSource _kill = new();
    private readonly Queue<string> _errorTail = new();
    private readonly Stream _pipe;
    private readonly string _finalPath, _partialPath;
    private readonly bool _isSequence;
    private bool _completed;

    public long FramesWritten { get; private set; }
    public int FrameBytes { get; }

    /// <param name="path">Target file, or a pattern with %d for an image sequence.</param>
    /// <param name="audioFrom">A file whose first audio track is muxed in (codec chosen by <paramref name="audioArgs"/>).</param>
    /// <exception cref="FfmpegException">ffmpeg could not be started or refused the arguments; its own words are in the message.</exception>
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

        _source = new FramePipeSource($"-f rawvideo -pix_fmt {pixFmt} -s {width}x{height} -framerate {ProcessArguments.Quote(frameRate)}");
        var arguments = FFMpegArguments.FromPipeInput(_source);
        var output = new List<string>();
        if (audioFrom != null)
        {
            arguments = arguments.AddFileInput(ProcessArguments.EscapeInQuotes(audioFrom), verifyExists: false);
            output.AddRange(["-map", "0:v:0", "-map", "1:a:0?"]);
            output.AddRange(audioArgs ?? ["-c:a", "copy"]);
        }
        output.AddRange(codecArgs);
        var processor = arguments
            .OutputToFile(ProcessArguments.EscapeInQuotes(_partialPath), overwrite: true, o => o.WithCustomArgument(ProcessArguments.Join(output)))
            .WithLogLevel(FFMpegLogLevel.Error)
            .NotifyOnStandardError(KeepErrorLine)
            .CancellableThrough(_kill.Token);   // no grace time: a kill is for a stalled or failed run
        _run = Task.Run(() => processor.ProcessAsynchronously());
        try { _pipe = WaitForConnection(); }
        catch
        {
            RemovePartialOutput();
            throw;
        }
    }

    /// <summary>The pipe once ffmpeg opened it, or the reason it never will (it failed to start or to read its arguments).</summary>
    private Stream WaitForConnection()
    {
        Task.WaitAny(_source.Connected, _run);
        if (_source.Connected.IsCompletedSuccessfully) return _source.Connected.Result;
        _source.Finish();
        throw new FfmpegException($"ffmpeg could not start encoding: {ProcessFailure(Timeout.InfiniteTimeSpan) ?? "it exited before opening its input"}");
    }

    private void KeepErrorLine(string line)
    {
        lock (_errorTail)
        {
            _errorTail.Enqueue(line);
            if (_errorTail.Count > KeptErrorLines) _errorTail.Dequeue();
        }
    }

    /// <summary>Writes one raw frame (exactly <see cref="FrameBytes"/> bytes).</summary>
    /// <exception cref="FfmpegException">The encoder died (disk full, killed, bad arguments); its own words are in the message.</exception>
    public void Write(ReadOnlySpan<byte> frame)
    {
        if (frame.Length != FrameBytes) throw new ArgumentException($"a frame is {FrameBytes} bytes here, got {frame.Length}");
        try { _pipe.Write(frame); }
        // The socket broke (IOException), or FFMpegCore already closed it because ffmpeg exited (disposed or disconnected).
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // ffmpeg has ended or is ending: its own account first (a kill from here would replace it by "stopped").
            string why = ProcessFailure(waitAtMost: TimeSpan.FromSeconds(5)) ?? "ffmpeg closed its input";
            Kill();
            throw new FfmpegException($"the encoder stopped after {FramesWritten} frames: {why}");
        }
        FramesWritten++;
    }

    /// <summary>Ends the input, waits for ffmpeg to finish the file, and moves it into place.</summary>
    /// <exception cref="FfmpegException">ffmpeg failed while finishing; its own words are in the message.</exception>
    public void Complete()
    {
        _source.Finish();
        if (ProcessFailure(waitAtMost: Timeout.InfiniteTimeSpan) is { } failure) throw new FfmpegException($"ffmpeg failed: {failure}");
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

    /// <summary>
    /// Why the process ended badly, in ffmpeg's own words: null when it ended cleanly (or has not ended within
    /// <paramref name="waitAtMost"/>). Waits for it to end (it has already, or is ending: its pipe closed or it was
    /// killed) so that all of its error text is in.
    /// </summary>
    private string? ProcessFailure(TimeSpan waitAtMost)
    {
        try { _run.Wait(waitAtMost); } catch (AggregateException) { }
        if (!_run.IsCompleted || _run.IsCompletedSuccessfully) return null;
        string said;
        lock (_errorTail) said = string.Join("\n", _errorTail).Trim();
        if (said.Length > 0) return said;
        if (_run.IsCanceled) return "ffmpeg was stopped";
        return _run.Exception?.InnerException switch
        {
            OperationCanceledException => "ffmpeg was stopped",
            System.ComponentModel.Win32Exception e => $"ffmpeg could not be started ({e.Message}): install ffmpeg (./setup.sh does) and make sure it is on PATH",
            FFMpegCore.Exceptions.FFMpegException e when ExitCode(e.Message) is > 128 and var code => $"ffmpeg was killed by signal {code - 128}",
            { } e => OneLine(e.Message),
            null => "ffmpeg printed nothing",
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>The exit code in FFMpegCore's message ("ffmpeg exited with non-zero exit-code (137 - …)").</summary>
    private static int? ExitCode(string message)
    {
        int open = message.IndexOf('(');
        if (open < 0) return null;
        int end = open + 1;
        while (end < message.Length && char.IsAsciiDigit(message[end])) end++;
        return int.TryParse(message.AsSpan(open + 1, end - open - 1), out int code) ? code : null;
    }

    /// <summary>Stops the encoder now (unblocks a writer stuck on a full pipe); the partial output is deleted on dispose.</summary>
    public void Kill()
    {
        try { _kill.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        if (!_completed)
        {
            Kill();
            _source.Finish();
        }
        try { _run.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        _kill.Dispose();
        if (!_completed) RemovePartialOutput();
    }

    private void RemovePartialOutput()
    {
        if (_isSequence)
        {
            string folder = Path.GetDirectoryName(_partialPath)!;
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        else if (File.Exists(_partialPath)) File.Delete(_partialPath);
    }
}
