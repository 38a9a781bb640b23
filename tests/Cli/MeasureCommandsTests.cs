using System.Text.Json;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Cli;

/// <summary>`stream-matte bench` and `stream-matte eval`: what they print and write.</summary>
public class MeasureCommandsTests
{
    private static (int ExitCode, string Out, string Err) Run(params string[] args) => Tool.Run(args);

    [Fact]
    public void Bench_json_names_model_size_provider_threads_and_the_times()
    {
        var (code, output, err) = Run("bench", "-m", SharedAssets.RequireModel("selfie_segmentation_256.onnx"), "--size", "512x288", "--runs", "5", "--json", "--threads", "1");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output.Trim());
        var o = doc.RootElement;
        Assert.Equal("selfie_segmentation_256.onnx", o.GetProperty("model").GetString());
        Assert.Equal("512x288", o.GetProperty("size").GetString());
        Assert.Equal("CPUExecutionProvider", o.GetProperty("provider").GetString());
        Assert.Equal("1", o.GetProperty("threads").GetString());
        double p50 = o.GetProperty("p50_ms").GetDouble(), p95 = o.GetProperty("p95_ms").GetDouble();
        Assert.True(p50 > 0 && p95 >= p50, output);
        // fps is 1000 / p50 before rounding; the JSON rounds p50 to 3 decimals and fps to 2 (a rounding to whole fps could straddle .5).
        Assert.Equal(1000 / p50, o.GetProperty("fps").GetDouble(), tolerance: 1000 / p50 * 1e-3 + 0.01);
        Assert.Contains("not end-to-end", o.GetProperty("measures").GetString());
    }

    [Fact]
    public void Eval_scores_a_model_against_real_masks_and_the_teachers_composites()
    {
        // A tiny data folder: one real photo with its mask, one background; no videos.
        string data = Tool.TempDir();
        foreach (var d in new[] { "seg/person_masks/images", "seg/person_masks/masks", "backgrounds/one" }) Directory.CreateDirectory(Path.Combine(data, d));
        string source = Path.Combine(SharedAssets.DataDir, "seg/person_masks");
        File.Copy(SharedAssets.RequireData("seg/person_masks/images/1.jpg"), Path.Combine(data, "seg/person_masks/images/1.jpg"));
        File.Copy(Path.Combine(source, "masks/1.png"), Path.Combine(data, "seg/person_masks/masks/1.png"));
        File.Copy(Directory.GetFiles(Path.Combine(SharedAssets.DataDir, "backgrounds"), "*.jpg", SearchOption.AllDirectories).Order().First(),
            Path.Combine(data, "backgrounds/one/bg.jpg"));
        string json = Path.Combine(data, "scores.json");
        // A model with a long file name: the table must keep it on one line, whatever the console width.
        const string longName = "stream_matte_student_r18x05_int8_calibrated_on_48_frames_second_try.onnx";
        string student = Path.Combine(data, longName);
        File.Copy(Path.Combine(SharedAssets.RepositoryRoot, "models", "stream_matte_student_r18x05_int8.onnx"), student);
        var (code, output, err) = Run("eval", "-m", "selfie_segmentation_256", "-m", student, "--models-dir", SharedAssets.ModelsDir, "--data", data,
            "--video-frames", "0", "--speed-runs", "3", "--json", json);
        Assert.True(code == 0, err);
        Assert.Contains("IoU person_masks", output);
        Assert.Contains(output.Split('\n'), line => line.TrimStart().StartsWith(longName));   // its table row
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var scores = doc.RootElement.GetProperty("scores");
        Assert.Equal(3, scores.GetArrayLength());   // the models, then the teacher
        var model = scores[0];
        var teacher = scores[2];
        Assert.Equal("selfie_segmentation_256.onnx", model.GetProperty("Model").GetString());
        Assert.Equal("rvm_mobilenetv3_fp32.onnx", teacher.GetProperty("Model").GetString());
        Assert.InRange(model.GetProperty("IouPersonMasks").GetDouble(), 0.5, 1.0);   // a person segmenter finds the person
        Assert.Equal(1, model.GetProperty("Composites").GetInt32());
        Assert.True(model.GetProperty("CompositeMse").GetDouble() > 0);
        // The teacher measured against its own composite and itself: near zero, which is why the report says so.
        Assert.True(teacher.GetProperty("TeacherMse").GetDouble() < 1e-6);
        Assert.True(model.GetProperty("InferP50Ms").GetDouble() > 0);
    }
}
