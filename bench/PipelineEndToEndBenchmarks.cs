using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Bench;

/// <summary>
/// End to end, file to file, offline (every frame): ffmpeg decode of ../shared/data/videos/talking_head_1080p.mp4
/// (at 1080p, or scaled by ffmpeg to 720p) → shrink → our student → guided upsampling → smoothing → blur composite →
/// H.264 encode by ffmpeg into a temporary file, 30 frames per operation. The FPS column is 30 / mean: what a user
/// converting a file gets, all costs included (ffmpeg's processes share the same 2 cores).
/// Run: dotnet run -c Release --project bench -- --filter '*PipelineEndToEnd*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[Config(typeof(FpsConfig))]
public class PipelineEndToEndBenchmarks
{
    public const int FramesPerRun = 30;

    [Params("1280x720", "1920x1080")]
    public string Frame { get; set; } = "";

    [Params("stream_matte_student_r18x05.onnx", "stream_matte_student_r18x05_int8.onnx")]
    public string Model { get; set; } = "";

    private IMattingModel _model = null!;
    private string _input = "", _output = "";

    [GlobalSetup]
    public void Setup()
    {
        _input = Path.Combine(Paths.SharedData(), "videos", "talking_head_1080p.mp4");
        _output = Path.Combine(Path.GetTempPath(), $"stream-matte-bench-{Environment.ProcessId}.mp4");
        _model = ModelCatalog.Open(Model, new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = 2, AllowSpinning = false }, Paths.SharedModels());
    }

    [Benchmark]
    public long FileToFile_30Frames()
    {
        var parts = Frame.Split('x');
        using var source = new FileSource(_input, (int.Parse(parts[0]), int.Parse(parts[1])), maxFrames: FramesPerRun);
        using var sink = new FileSink(_output, source.Format with { AudioFrom = null });
        return new MattingPipeline(source, _model, sink).Run().FramesOut;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        if (File.Exists(_output)) File.Delete(_output);
    }

    private sealed class FpsConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public FpsConfig() => AddColumn(new FpsColumn());
    }

    /// <summary>Frames per second end to end: frames per operation / mean time per operation.</summary>
    private sealed class FpsColumn : IColumn
    {
        public string Id => "FPS";
        public string ColumnName => "FPS (end to end)";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{FramesPerRun} frames / mean seconds per operation";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            return stats is null ? "—" : (FramesPerRun / (stats.Mean / 1e9)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
