using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Evaluation;

namespace StreamMatte.Cli;

/// <summary>
/// `stream-matte bench`: a quick, honest model-only timing on the user's own machine (the same adapters and engine
/// as the pipeline, warmed up first). Several --model options are timed interleaved and compared as ratios.
/// It says what it measures: the network alone, not end-to-end frames per second.
/// </summary>
internal static class BenchCommand
{
    private static readonly Option<string> Size = new("--size") { Description = "Picture size the model is configured for, WxH", DefaultValueFactory = _ => "512x288" };
    private static readonly Option<int> Runs = new("--runs") { Description = "Timed inferences per model (after 3 warm-up runs)", DefaultValueFactory = _ => 50 };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per model instead of the table (for scripts)" };

    public static Command Build()
    {
        var command = new Command("bench",
            "Time model inference alone (network only: not end-to-end fps) on this machine.\n\nExamples:\n" +
            "  stream-matte bench                                   the default model at 512x288\n" +
            "  stream-matte bench -m stream_matte_student_r18x05 -m rvm_mobilenetv3_fp32 --models-dir ../shared/models")
        {
            Options.ModelList, Size, Runs, Json, Options.Device, Options.Threads, Options.ModelsDir,
        };
        command.SetAction(parse => CommandLine.Guarded(() => Run(parse)));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string? modelsDir = parse.GetValue(Options.ModelsDir);
        int threads = parse.GetValue(Options.Threads);
        var settings = new SessionSettings
        {
            Device = SessionSettings.ParseDevice(parse.GetValue(Options.Device) ?? "auto"),
            IntraOpThreads = threads,
            AllowSpinning = false,
        };
        OrtRuntime.Load(settings.Device, settings.LibraryPath); // before any model is looked at: --device webgpu needs npm's library
        var (w, h) = RunCommand.ParseSize(parse.GetValue(Size)!);
        int runs = parse.GetValue(Runs);
        if (runs is < 1 or > 100_000) throw new ArgumentException($"--runs must be between 1 and 100000, got {runs}");
        var names = parse.GetValue(Options.ModelList) is { Length: > 0 } given ? given
            : [ModelCatalog.DefaultModel(modelsDir)?.Path ?? throw new FileNotFoundException("no model found: pass --model")];
        bool json = parse.GetValue(Json);
        var models = new List<IMattingModel>();
        try
        {
            foreach (var name in names) models.Add(ModelCatalog.Open(name, settings, modelsDir));
            if (!json) Console.Error.WriteLine($"bench: {string.Join(", ", models.Select(m => m.Name))} at {w}x{h}, {runs} runs each after warm-up, interleaved");
            var timings = InferenceTimer.Measure(models, w, h, runs, progress: json ? null : line => Console.Error.WriteLine($"  {line}"));
            string threadText = threads == 0 ? "default" : threads.ToString(CultureInfo.InvariantCulture);
            foreach (var t in timings)
            {
                if (json)
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        model = t.Model, size = $"{w}x{h}", input = $"{t.Width}x{t.Height}", provider = t.Provider, threads = threadText,
                        runs = t.Runs, p50_ms = Math.Round(t.P50Ms, 3), p95_ms = Math.Round(t.P95Ms, 3), mean_ms = Math.Round(t.MeanMs, 3),
                        fps = Math.Round(t.FramesPerSecond, 2), measures = "model inference only (tensor in, tensor out), not end-to-end",
                    }));
                else
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{t.Model,-44} input {t.Width}x{t.Height}  p50 {t.P50Ms,7:0.0} ms  p95 {t.P95Ms,7:0.0} ms  {t.FramesPerSecond,6:0.0} fps (model only)  {t.Provider}, threads {threadText}"));
            }
            if (!json && timings.Count > 1)
                foreach (var t in timings.Skip(1))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: {timings[0].Model} p50 / {t.Model} p50 = {timings[0].P50Ms / t.P50Ms:0.00}"));
            return 0;
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }
}
