using System.Diagnostics;
using StreamMatte.Pipeline.Video;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Cli;

/// <summary>The real stream-matte tool, run as a process: exit codes, messages, and the offline job.</summary>
public class CliTests
{
    private static (int ExitCode, string Out, string Err) Run(params string[] args) => Tool.Run(args);

    private static string TempDir() => Tool.TempDir();

    [Fact]
    public void Models_lists_the_third_party_models_with_inputs_and_outputs()
    {
        var (code, output, _) = Run("models", "--models-dir", SharedAssets.ModelsDir);
        Assert.Equal(0, code);
        Assert.Contains("ONNX Runtime 1.30.0", output);
        // Ours are listed first; with RVM present, RVM (best measured) is the default.
        Assert.Contains("stream_matte_student_r18x05.onnx  (ours) — stream-matte student", output);
        Assert.Contains("rvm_mobilenetv3_fp32.onnx  [default]  (third-party) — Robust Video Matting", output);
        Assert.Contains("in   src: float32[batch,3,height,width]", output);
        Assert.Contains("out  protos: float32[1,32,80,80]", output);
        Assert.Contains("yolox_nano_416.onnx  (third-party) — not usable", output);
    }

    [Fact]
    public void Without_any_model_option_the_committed_student_runs()
    {
        // The README's main job: a fresh clone has only models/ (nothing third-party), and that is enough; its
        // output folder (out/) does not exist yet and is made.
        string output = Path.Combine(TempDir(), "out", "o.mp4");
        var (code, _, err) = Run("-i", SharedAssets.RequireData("videos/clip_a.mp4"), "-o", output, "--frames", "4");
        Assert.True(code == 0, err);
        Assert.Contains("model      stream_matte_student_r18x05.onnx (stream-matte student (UNet-R18x0.5, MLB))", err);
        Assert.Equal(4, MediaInfo.Probe(output, countFrames: true).FrameCount);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_made_is_a_clear_error()
    {
        var (code, _, err) = Run("-i", "testsrc", "--frames", "2", "-o", "/proc/stream-matte-out/o.mp4");
        Assert.Equal(1, code);
        Assert.Contains("cannot create the output folder '/proc/stream-matte-out'", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_missing_model_file_is_a_clear_error()
    {
        var (code, _, err) = Run("--input", SharedAssets.RequireData("videos/talking_head_1080p.mp4"), "--output", Path.Combine(TempDir(), "o.mp4"), "--model", "/nonexistent/model.onnx");
        Assert.Equal(1, code);
        Assert.StartsWith("stream-matte: error: model '/nonexistent/model.onnx' not found", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_file_that_is_not_ONNX_is_a_clear_error()
    {
        string model = Path.Combine(TempDir(), "broken.onnx");
        File.WriteAllText(model, "not a model");
        var (code, _, err) = Run("--input", SharedAssets.RequireData("videos/talking_head_1080p.mp4"), "--output", Path.Combine(TempDir(), "o.mp4"), "--model", model);
        Assert.Equal(1, code);
        Assert.Contains("cannot load model 'broken.onnx'", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_missing_input_is_a_clear_error()
    {
        var (code, _, err) = Run("--input", "/nonexistent/in.mp4", "--output", Path.Combine(TempDir(), "o.mp4"), "--models-dir", SharedAssets.ModelsDir);
        Assert.Equal(1, code);
        Assert.Contains("input '/nonexistent/in.mp4' does not exist", err);
    }

    [Fact]
    public void Device_cuda_without_CUDA_says_so_and_names_the_alternative()
    {
        string dir = TempDir();
        var (code, _, err) = Run("--input", SharedAssets.RequireData("videos/talking_head_1080p.mp4"), "--output", Path.Combine(dir, "o.mp4"),
            "--model", SharedAssets.RequireModel("selfie_segmentation_256.onnx"), "--device", "cuda");
        Assert.Equal(1, code);
        Assert.Contains("--device cuda cannot run here", err);
        Assert.Contains("CPUExecutionProvider) would run instead", err);
        // Where CUDA's libraries are missing, the one ORT could not load is named.
        if (!err.Contains("is not in this ONNX Runtime"))
            Assert.Matches(@"with error: lib[\w.+-]+\.so[.\d]*: cannot open shared object file", err);
        Assert.Empty(Directory.GetFiles(dir)); // nothing half-written
    }

    [Fact]
    public void A_missing_native_library_is_a_clear_error()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stream-matte.dll"));
        info.ArgumentList.Add("models");
        info.Environment["STREAM_MATTE_ORT_LIB"] = "/nonexistent/libonnxruntime.so.1";
        using var p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("STREAM_MATTE_ORT_LIB points to '/nonexistent/libonnxruntime.so.1', which does not exist", err);
    }

    [Fact]
    public void The_offline_job_keeps_every_frame_the_frame_rate_and_the_audio()
    {
        string dir = TempDir();
        string input = Path.Combine(dir, "in.mp4");
        // A generated clip with an odd frame rate and an audio track.
        using (var gen = FfmpegProcess.Start(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1.48", "-f", "lavfi", "-i", "sine=frequency=440:duration=1.48",
                   "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", input]))
            gen.WaitForExit();
        var inInfo = MediaInfo.Probe(input, countFrames: true);
        string output = Path.Combine(dir, "out.mp4");
        var (code, _, err) = Run("--input", input, "--output", output, "--model", SharedAssets.RequireModel("selfie_segmentation_256.onnx"), "--background", "green");
        Assert.True(code == 0, err);
        Assert.Contains("provider   CPUExecutionProvider", err);
        var outInfo = MediaInfo.Probe(output, countFrames: true);
        Assert.Equal(inInfo.FrameCount, outInfo.FrameCount);
        Assert.Equal(37, outInfo.FrameCount);
        Assert.Equal(inInfo.FrameRateText, outInfo.FrameRateText);
        Assert.True(outInfo.HasAudio);
        Assert.Equal(new[] { "out.mp4", "in.mp4" }, Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).OrderDescending().ToArray());
    }

    public static TheoryData<string> SharedClips() => new(Directory.Exists(Path.Combine(SharedAssets.DataDir, "videos"))
        ? Directory.GetFiles(Path.Combine(SharedAssets.DataDir, "videos")).Where(f => f.EndsWith(".mp4") || f.EndsWith(".avi")).Select(Path.GetFileName).Order()!
        : ["(../shared/data/videos is missing)"]);

    [Theory]
    [MemberData(nameof(SharedClips))]
    public void Every_shared_clip_comes_out_with_as_many_frames_at_the_same_rate_with_its_audio(string clip)
    {
        string input = SharedAssets.RequireData(Path.Combine("videos", clip));
        string output = Path.Combine(TempDir(), "out.mp4");
        var (code, _, err) = Run("-i", input, "-o", output, "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"), "-b", "#202020", "--model-size", "256");
        Assert.True(code == 0, err);
        var inInfo = MediaInfo.Probe(input, countFrames: true);
        var outInfo = MediaInfo.Probe(output, countFrames: true);
        Assert.Equal(inInfo.FrameCount, outInfo.FrameCount);
        Assert.Equal(inInfo.FrameRate, outInfo.FrameRate, 3);
        Assert.Equal(inInfo.HasAudio, outInfo.HasAudio);
    }

    [Fact]
    public void A_config_file_supplies_options_and_the_command_line_wins()
    {
        string dir = TempDir();
        string config = Path.Combine(dir, "matte.json");
        File.WriteAllText(config, """{ "background": "blue", "smoothing": 0.5, "model": "/from/config.onnx", "frames": 3 }""");
        var (code, _, err) = Run("--config", config, "-i", SharedAssets.RequireData("videos/clip_a.mp4"), "-o", Path.Combine(dir, "o.mp4"),
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.True(code == 0, err);
        Assert.Contains("background colour #0047bb", err);             // from the file
        Assert.Contains("smoothing 0.5", err);                         // from the file
        Assert.Contains("model      selfie_segmentation_256.onnx", err); // the command line won
        Assert.Contains("done: 3 of 3 frames", err);

        File.WriteAllText(config, """{ "backgruond": "blue" }""");
        (code, _, err) = Run("--config", config, "-i", "x.mp4", "-o", "y.mp4");
        Assert.Equal(1, code);
        Assert.Contains("unknown option 'backgruond'", err);
    }

    [Fact]
    public void A_live_run_reports_per_stage_latency_and_drops()
    {
        // A 2.6 s clip: the one status line comes at 2 s, so no frames are left out of the timings as warm-up.
        var (code, _, err) = Run("-i", SharedAssets.RequireData("videos/clip_a.mp4"), "-o", "null", "--realtime", "--stats-warmup", "0",
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.True(code == 0, err);
        Assert.Contains("mode       live", err);
        Assert.Matches(@"in \d+\.\d fps, out \d+\.\d fps \| .*infer \d+\.\d/\d+\.\d.* ms p50/p95 \| latency \d+/\d+ ms .*\| network \d+x\d+.*, matte \d+\.\d/s, age \d+/\d+ frames \| dropped \d+", err);
        Assert.Matches(@"done: \d+ of 79 frames .*, \d+ dropped", err);
        Assert.Matches(@"matte: \d+ network runs for \d+ frames out \(\d+\.\d a second, .*age p50/p95/p99 \d+/\d+/\d+ frames", err);
        Assert.Contains("frames: every pooled frame returned", err);
    }

    [Fact]
    public void Live_without_model_options_takes_the_form_the_eval_figures_allow_and_chooses_its_size()
    {
        var (code, _, err) = Run("-i", "testsrc", "--frames", "45", "--realtime", "-o", "null", "--stats-warmup", "0");
        Assert.True(code == 0, err);
        // The committed figures refuse the ImageNet-initialised student's int8 form (0.025 IoU lost): fp32 runs live.
        Assert.Contains("model      stream_matte_student_r18x05.onnx", err);
        Assert.Contains("network size auto: largest of [512, 448, 384, 320, 256, 192]", err);

        (code, _, err) = Run("-i", "testsrc", "--frames", "3", "-o", "null", "--model-size", "big");
        Assert.Equal(1, code);
        Assert.Contains("--model-size must be auto or a number of pixels, got 'big'", err);
    }

    [Fact]
    public void The_motion_warp_is_on_by_default_live_can_be_turned_off_and_is_logged()
    {
        var (code, _, err) = Run("-i", "testsrc", "--frames", "20", "--realtime", "-o", "null", "--stats-warmup", "0",
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.True(code == 0, err);
        Assert.Contains("moved by the motion since its frame (motion warp on)", err);

        (code, _, err) = Run("-i", "testsrc", "--frames", "20", "--realtime", "-o", "null", "--stats-warmup", "0", "--motion-warp", "off",
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.True(code == 0, err);
        Assert.Contains("not moved (motion warp off)", err);

        (code, _, err) = Run("-i", "testsrc", "--frames", "3", "-o", "null", "--motion-warp", "sideways");
        Assert.Equal(1, code);
        Assert.Contains("--motion-warp must be on or off, got 'sideways'", err);
    }

    [Fact]
    public void Transparent_output_needs_a_format_with_alpha_and_carries_it()
    {
        string dir = TempDir();
        var (code, _, err) = Run("-i", SharedAssets.RequireData("videos/clip_a.mp4"), "-o", Path.Combine(dir, "o.mp4"), "-b", "transparent",
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("needs an output that keeps alpha", err);

        string webm = Path.Combine(dir, "o.webm");
        (code, _, err) = Run("-i", SharedAssets.RequireData("videos/clip_a.mp4"), "-o", webm, "-b", "transparent", "--frames", "5",
            "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"));
        Assert.True(code == 0, err);
        var tags = FFMpegCore.FFProbe.Analyse(webm).PrimaryVideoStream!.Tags!;
        Assert.Equal("1", tags.First(t => t.Key.Equals("alpha_mode", StringComparison.OrdinalIgnoreCase)).Value);
    }
}
