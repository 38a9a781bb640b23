using System.Diagnostics;
using System.Text.RegularExpressions;
using StreamMatte.Pipeline.Video;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Cli;

/// <summary>
/// The tool under the failures users meet: its ffmpeg decoder or encoder dying mid-run, Ctrl-C, no camera, no
/// virtual camera, and the outputs that must keep alpha. Each ends with a clear message, the right exit code, no
/// hang, and never a half-written output under the final name.
/// </summary>
public class RobustnessCliTests
{
    private sealed class RunningTool : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _stderr = [];
        public RunningTool(params string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stream-matte.dll"));
            foreach (var a in args) info.ArgumentList.Add(a);
            _process = Process.Start(info)!;
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.Add(e.Data); };
            _process.BeginErrorReadLine();
            _process.StandardOutput.ReadToEndAsync();
        }

        public int Pid => _process.Id;
        public string Stderr { get { lock (_stderr) return string.Join("\n", _stderr); } }

        public void WaitForProgress()
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!Regex.IsMatch(Stderr, @"^frame \d+", RegexOptions.Multiline))
            {
                Assert.False(_process.HasExited, "stream-matte ended before showing progress: " + Stderr);
                Assert.True(DateTime.UtcNow < deadline, "no progress line in 2 minutes: " + Stderr);
                Thread.Sleep(50);
            }
        }

        /// <summary>The ffmpeg child whose command line contains <paramref name="marker"/>.</summary>
        public int FfmpegChild(string marker)
        {
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                try
                {
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    int ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                    string cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (ppid == Pid && cmd.StartsWith("ffmpeg", StringComparison.Ordinal) && cmd.Contains(marker)) return pid;
                }
                catch (IOException) { }
            }
            throw new InvalidOperationException($"no ffmpeg child with '{marker}'");
        }

        public int WaitForExit()
        {
            Assert.True(_process.WaitForExit(TimeSpan.FromMinutes(2)), "stream-matte hung: " + Stderr);
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }

    private static void Signal(int pid, string signal) => Process.Start("kill", [$"-{signal}", pid.ToString()])!.WaitForExit();

    private static string TempDir() => Tool.TempDir();

    /// <summary>Whether SIGINT (signal 2) is in this process's ignored set, from /proc/self/status's SigIgn mask.</summary>
    private static bool SigIntIgnoredHere()
    {
        string mask = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:"))["SigIgn:".Length..].Trim();
        return (Convert.ToUInt64(mask, 16) & (1UL << (2 - 1))) != 0;
    }

    private static string[] LongJob(string output) =>
        ["-i", SharedAssets.RequireData("videos/bookshelf_man_576p.mp4"), "-o", output, "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx")];

    [Theory]
    [InlineData("pipe:1", "decoder")]   // the ffmpeg reading the input
    [InlineData("unix:", "encoder")]    // the ffmpeg writing the output (fed through FFMpegCore's socket)
    public void Killing_an_ffmpeg_process_mid_run_is_a_clear_error_and_leaves_no_output(string marker, string role)
    {
        string dir = TempDir();
        string output = Path.Combine(dir, "out.mp4");
        using var tool = new RunningTool(LongJob(output));
        tool.WaitForProgress();
        Signal(tool.FfmpegChild(marker), "KILL");
        int code = tool.WaitForExit();
        Assert.True(code == 1, $"exit {code} after killing the {role}: {tool.Stderr}");
        Assert.Contains("stream-matte: error:", tool.Stderr);
        Assert.Contains("ffmpeg", tool.Stderr);
        Assert.DoesNotContain("   at ", tool.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir));   // neither out.mp4 nor a partial file is left
    }

    [Fact]
    public void Ctrl_c_finishes_the_frames_in_flight_and_leaves_a_playable_file()
    {
        // A process started with `&` by a non-interactive shell ignores SIGINT, and its children inherit that (as .NET
        // honours it, so does stream-matte): say so, rather than fail later with a puzzling "exit 0".
        Assert.False(SigIntIgnoredHere(), "this test process ignores SIGINT (started in the background by a script, `… &`), " +
                                          "so stream-matte would too: run the tests in the foreground");
        string dir = TempDir();
        string output = Path.Combine(dir, "out.mp4");
        using var tool = new RunningTool(LongJob(output));
        tool.WaitForProgress();
        Signal(tool.Pid, "INT");
        int code = tool.WaitForExit();
        Assert.True(code == 130, $"exit {code}: {tool.Stderr}");
        Assert.True(File.Exists(output), tool.Stderr);
        var info = MediaInfo.Probe(output, countFrames: true);
        Assert.InRange(info.FrameCount ?? 0, 1, 563);
        Assert.Equal(["out.mp4"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void No_virtual_camera_gives_the_modprobe_advice_not_a_trace()
    {
        var tool = new RunningTool("-i", SharedAssets.RequireData("videos/clip_a.mp4"), "-o", "v4l2:/dev/video97",
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        using (tool)
        {
            Assert.Equal(1, tool.WaitForExit());
            Assert.Contains("virtual camera /dev/video97 does not exist", tool.Stderr);
            Assert.Contains("modprobe v4l2loopback", tool.Stderr);
            Assert.DoesNotContain("   at ", tool.Stderr);
        }
    }

    [Fact]
    public void The_test_pattern_is_an_input_that_needs_no_camera_or_file()
    {
        string dir = TempDir();
        string output = Path.Combine(dir, "pattern.mp4");
        using var tool = new RunningTool("-i", "testsrc", "--size", "320x180", "--frames", "12", "-o", output,
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.True(tool.WaitForExit() == 0, tool.Stderr);
        Assert.Equal(12, MediaInfo.Probe(output, countFrames: true).FrameCount);
    }

    [Fact]
    public void No_camera_is_a_clear_error()
    {
        using var tool = new RunningTool("-i", "cam63", "-o", "null", "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.Equal(1, tool.WaitForExit());
        Assert.Contains("camera 'cam63' (/dev/video63) not found", tool.Stderr);
        Assert.DoesNotContain("   at ", tool.Stderr);
    }

    [Fact]
    public void Alpha_outputs_really_carry_alpha()
    {
        string dir = TempDir();
        string mov = Path.Combine(dir, "o.mov");
        string png = Path.Combine(dir, "o_%03d.png");
        foreach (var output in new[] { mov, png })
        {
            using var tool = new RunningTool("-i", SharedAssets.RequireData("videos/clip_a.mp4"), "-o", output, "-b", "transparent", "--frames", "3",
                "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
            Assert.True(tool.WaitForExit() == 0, tool.Stderr);
        }
        Assert.StartsWith("yuva444p", MediaInfo.Probe(mov).PixelFormat);   // ProRes 4444 with its alpha plane
        Assert.Equal("rgba", MediaInfo.Probe(Path.Combine(dir, "o_001.png")).PixelFormat);
    }

    [Fact]
    public void Doctor_checks_ffmpeg_onnx_runtime_and_the_virtual_camera_and_prints_fixes()
    {
        var (code, output, err) = Tool.Run("doctor", "--models-dir", SharedAssets.ModelsDir);
        Assert.True(code == 0, output + err);
        Assert.Contains("ok    ffmpeg: ffmpeg version", output);
        Assert.Contains($"ok    ONNX Runtime 1.30.0: {StreamMatte.Models.Onnx.OrtRuntime.BuiltWithPackage} (NuGet)", output);
        Assert.Contains("CPUExecutionProvider starts", output);
        // Compiled in (the default GPU package), then whether each one really starts: runs, or is explained with its fix.
        if (StreamMatte.Models.Onnx.OrtRuntime.BuiltWithPackage.StartsWith("Microsoft.ML.OnnxRuntime.Gpu.Linux"))
            Assert.Contains("ok    providers compiled in: TensorrtExecutionProvider, CUDAExecutionProvider, CPUExecutionProvider", output);
        Assert.Matches("CUDAExecutionProvider (starts|does not start here: .*lib[\\w.+-]+\\.so.*\n        fix: |is not compiled into)", output);
        Assert.Matches("TensorrtExecutionProvider (starts|does not start here: .*\n        fix: |is not compiled into)", output);
        Assert.Contains("WebGPU", output);
        if (!StreamMatte.VirtualCamera.V4l2Devices.LoopbackModuleLoaded)
            Assert.Contains("fix: sudo modprobe v4l2loopback devices=1 video_nr=10 card_label=\"stream-matte\" exclusive_caps=1", output);
    }
}
