using BenchmarkDotNet.Attributes;
using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Bench;

/// <summary>
/// Model only: one frame already in memory → Prepare (resize + normalise into the tensor) → Infer → Read,
/// on the CPU provider with 2 threads, for our students (models/) and the third-party models in ../shared/models
/// at a 512×288 frame.
/// This is NOT end-to-end speed (no decode, upsampling, compositing or encode).
/// Run: dotnet run -c Release --project bench/StreamMatte.Bench.csproj -- --filter '*ModelInference*'
/// </summary>
[MemoryDiagnoser]
public class ModelInferenceBenchmarks
{
    [Params("stream_matte_student_r18x05.onnx", "stream_matte_student_r18x05_int8.onnx", "rvm_mobilenetv3_fp32.onnx", "pphumanseg_lite_224x398.onnx", "selfie_segmentation_256.onnx", "yolov8n_seg_320_fp32.onnx")]
    public string Model { get; set; } = "";

    private IMattingModel? _model;
    private readonly RgbImage _frame = new(512, 288);

    [GlobalSetup]
    public void Setup()
    {
        string dir = Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "models"));
        _model = ModelCatalog.Open(Model, new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 }, dir);
        new Random(1).NextBytes(_frame.Pixels);
        _model.Configure(_frame.Width, _frame.Height);
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

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Streaming.sln"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository");
    }
}
