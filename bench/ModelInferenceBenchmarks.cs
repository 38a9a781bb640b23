using BenchmarkDotNet.Attributes;
using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Bench;

/// <summary>
/// Model only: one frame already in memory → Prepare (resize + normalise into the tensor) → Infer → Read (decode
/// the outputs), on the CPU provider with 2 threads. Networks that take any size (our student, fp32 and int8, and
/// RVM) run at 256×256, 288×512, 512×512 and 720×1280; fixed-input networks at their own input (a 288×512 frame is
/// resized to it inside Prepare).
/// This is NOT end-to-end speed: no decode, upsampling, compositing or encode (see PipelineEndToEnd for that).
/// Run: dotnet run -c Release --project bench -- --filter '*ModelInference*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModelInferenceBenchmarks
{
    private static readonly string[] AnySize = ["stream_matte_student_r18x05.onnx", "stream_matte_student_r18x05_int8.onnx", "rvm_mobilenetv3_fp32.onnx"];
    private static readonly string[] FixedInput = ["stream_matte_instances_r18x05.onnx", "pphumanseg_lite_224x398.onnx", "selfie_segmentation_256.onnx", "yolov8n_seg_320_fp32.onnx"];
    private static readonly string[] Sizes = ["256x256", "288x512", "512x512", "720x1280"];

    /// <summary>"model @ HxW" (frame size; fixed-input models: "native").</summary>
    public static IEnumerable<string> Cases() =>
        AnySize.SelectMany(m => Sizes.Select(s => $"{m} @ {s}")).Concat(FixedInput.Select(m => $"{m} @ native"));

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    private IMattingModel? _model;
    private RgbImage _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split(" @ ");
        var (h, w) = parts[1] == "native" ? (288, 512) : (int.Parse(parts[1].Split('x')[0]), int.Parse(parts[1].Split('x')[1]));
        _frame = new RgbImage(w, h);
        new Random(1).NextBytes(_frame.Pixels);
        _model = ModelCatalog.Open(parts[0], new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 }, Paths.SharedModels());
        _model.Configure(_frame.Width, _frame.Height);
        Console.WriteLine($"// {Case}: network input {_model.InputSize.Width}x{_model.InputSize.Height}, provider {_model.Provider}");
    }

    [Benchmark]
    public float PrepareInferRead()
    {
        _model!.Prepare(_frame, 0);
        _model.Infer(0);
        return _model.Read(0).Alpha.Data[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _model?.Dispose();
}
