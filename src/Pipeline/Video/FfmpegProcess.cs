using System.Diagnostics;

namespace StreamMatte.Pipeline.Video;

/// <summary>An ffmpeg or ffprobe process that failed or could not start; the message carries ffmpeg's own words.</summary>
public sealed class FfmpegException(string message) : Exception(message);

/// <summary>
/// One ffmpeg (or ffprobe) child process whose output we read: the decoder's raw frames and ffprobe's answers (the
/// encoder goes through FFMpegCore, whose pipe is the faster one for writing: <see cref="FfmpegEncoder"/>). Its stderr is always drained on a background task —
/// an undrained stderr blocks ffmpeg — and its last lines are kept to explain a failure. Disposing kills a
/// process that is still running, so no ffmpeg outlives the pipeline.
/// </summary>
public sealed partial class FfmpegProcess : IDisposable
{
    private const int KeptErrorLines = 20;
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stderrDrain;
    private readonly string _tool;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    private FfmpegProcess(string tool, IEnumerable<string> arguments)
    {
        _tool = tool;
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(info) ?? throw new FfmpegException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FfmpegException($"{tool} could not be started ({e.Message}): install ffmpeg (./setup.sh does) and make sure it is on PATH");
        }
        _stderrDrain = Task.Run(DrainStderr);
        WidenPipe(_process.StandardOutput.BaseStream);
    }

    /// <summary>The most a pipe may hold that an unprivileged process can ask for (Linux's default pipe-max-size).</summary>
    private const int PipeBytes = 1 << 20;

    /// <summary>
    /// A raw frame is megabytes (1080p rgb24: 6.2 MB) and a Linux pipe holds 64 KiB unless asked for more: every frame
    /// would cross in about a hundred writes, each waking the other side. Asking for 1 MiB (F_SETPIPE_SZ) cuts that
    /// sixteenfold. Best effort: where it is refused (another OS, a lower limit) the pipe keeps its size.
    /// </summary>
    private static void WidenPipe(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not System.IO.Pipes.PipeStream pipe) return;
        try { _ = Fcntl((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, PipeBytes); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    private const int SetPipeSize = 1031, GetPipeSize = 1032;   // F_SETPIPE_SZ, F_GETPIPE_SZ

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>The bytes the pipe behind <paramref name="stream"/> holds (F_GETPIPE_SZ), or -1; for tests.</summary>
    internal static int PipeSize(Stream stream) =>
        OperatingSystem.IsLinux() && stream is System.IO.Pipes.PipeStream pipe ? Fcntl((int)pipe.SafePipeHandle.DangerousGetHandle(), GetPipeSize, 0) : -1;

    /// <summary>Starts ffmpeg with the given arguments (quiet banner, errors only on stderr).</summary>
    public static FfmpegProcess Start(IEnumerable<string> arguments)
    {
        // -nostdin stops ffmpeg from eating the terminal's input.
        string[] common = ["-hide_banner", "-nostdin", "-loglevel", "error"];
        return new FfmpegProcess("ffmpeg", common.Concat(arguments));
    }

    /// <summary>Runs ffprobe to completion with raw arguments and returns its stdout. Probing a clip's format goes
    /// through FFMpegCore (MediaInfo); this is for the per-packet queries FFMpegCore has no typed form of (the job
    /// tooling's frame counts and packet times).</summary>
    public static string Probe(IEnumerable<string> arguments)
    {
        using var p = new FfmpegProcess("ffprobe", new[] { "-hide_banner", "-loglevel", "error" }.Concat(arguments));
        string output = p._process.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    private async Task DrainStderr()
    {
        string? line;
        while ((line = await _process.StandardError.ReadLineAsync().ConfigureAwait(false)) != null)
        {
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                if (_stderrTail.Count > KeptErrorLines) _stderrTail.Dequeue();
            }
        }
    }

    /// <summary>What ffmpeg last said on stderr (up to 20 lines).</summary>
    public string ErrorText
    {
        get { lock (_stderrTail) return string.Join("\n", _stderrTail); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process; throws <see cref="FfmpegException"/> with its stderr if it failed.</summary>
    public void WaitForExit()
    {
        _process.WaitForExit();
        _stderrDrain.Wait();
        if (_process.ExitCode != 0)
            throw new FfmpegException($"{_tool} failed (exit code {_process.ExitCode}): {FirstUsefulError()}");
    }

    public string FirstUsefulError()
    {
        string text = ErrorText.Trim();
        if (text.Length > 0) return text;
        // Killed from outside (OOM killer, a user, a crash): the exit status is 128 + the signal.
        if (_process.HasExited && _process.ExitCode > 128) return $"{_tool} was killed by signal {_process.ExitCode - 128}";
        return $"{_tool} printed nothing";
    }

    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        Kill();
        try { _process.WaitForExit(); _stderrDrain.Wait(TimeSpan.FromSeconds(2)); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
