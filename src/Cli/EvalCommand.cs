using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Evaluation;

namespace StreamMatte.Cli;

/// <summary>`stream-matte eval`: the shipped ONNX models measured on the real data (see <see cref="Evaluator"/>).</summary>
internal static class EvalCommand
{
    private static readonly Option<string> Teacher = new("--teacher")
    { Description = "The matting teacher: the reference for composites and agreement, measured alongside", DefaultValueFactory = _ => "rvm_mobilenetv3_fp32" };
    private static readonly Option<string> Data = new("--data")
    { Description = "The data folder (seg/person_masks, seg/coco_person, backgrounds, videos)", DefaultValueFactory = _ => "../shared/data" };
    private static readonly Option<string> Split = new("--split")
    { Description = "held-out (every 5th photo, never trained on) or all", DefaultValueFactory = _ => "held-out" };
    private static readonly Option<int> VideoFrames = new("--video-frames")
    { Description = "Frames per video for the flicker measure (0 skips it)", DefaultValueFactory = _ => 60 };
    private static readonly Option<int> SpeedRuns = new("--speed-runs")
    { Description = "Timed inferences per model at 512x288, interleaved (0 skips it)", DefaultValueFactory = _ => 30 };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the scores to this JSON file" };

    public static Command Build()
    {
        var command = new Command("eval",
            "Measure models on ../shared/data: person IoU on the real masks, MSE/SAD/gradient/connectivity and boundary MSE " +
            "on composites with exact alpha, agreement with the teacher, flicker through the pipeline (smoothing on), and " +
            "inference speed side by side.\n\nExample:\n  stream-matte eval -m stream_matte_student_r18x05 -m selfie_segmentation_256 --models-dir ../shared/models --json out/eval.json")
        {
            Options.ModelList, Teacher, Data, Split, VideoFrames, SpeedRuns, Json, Options.ModelsDir, Options.Threads, Options.MeasureModelSize,
        };
        command.SetAction(parse => CommandLine.Guarded(() => Run(parse)));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string? modelsDir = parse.GetValue(Options.ModelsDir);
        var settings = new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = parse.GetValue(Options.Threads), AllowSpinning = false };
        var split = parse.GetValue(Split) switch
        {
            "held-out" => EvalSplit.HeldOut,
            "all" => EvalSplit.All,
            var s => throw new ArgumentException($"--split must be held-out or all, not '{s}'"),
        };
        string data = parse.GetValue(Data)!;
        if (!Directory.Exists(data)) throw new DirectoryNotFoundException($"data folder '{data}' does not exist (give --data, e.g. ../shared/data)");
        var names = parse.GetValue(Options.ModelList) is { Length: > 0 } given ? given
            : [ModelCatalog.DefaultModel(modelsDir)?.Path ?? throw new FileNotFoundException("no model found: pass --model")];
        using var teacher = ModelCatalog.Open(parse.GetValue(Teacher)!, settings, modelsDir);
        var models = new List<IMattingModel>();
        try
        {
            foreach (var name in names) models.Add(ModelCatalog.Open(name, settings, modelsDir));
            var all = models.Append(teacher).ToList();
            Console.Error.WriteLine($"eval: {string.Join(", ", all.Select(m => m.Name))} on {data} ({parse.GetValue(Split)}), provider {teacher.Provider}");
            var evaluator = new Evaluator(new EvalOptions
            {
                DataDir = data, Split = split, LongSide = parse.GetValue(Options.MeasureModelSize),
                VideoFrames = parse.GetValue(VideoFrames), SpeedRuns = parse.GetValue(SpeedRuns),
                Progress = line => Console.Error.WriteLine($"  {line}"),
            });
            var scores = evaluator.Run(all, teacher);
            Print(scores, teacher.Name);
            if (parse.GetValue(Json) is { } json)
            {
                File.WriteAllText(json, JsonSerializer.Serialize(new { data, split = parse.GetValue(Split), teacher = teacher.Name, scores },
                    new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
                Console.WriteLine($"scores written to {json}");
            }
            return 0;
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    private static void Print(IReadOnlyList<ModelScores> scores, string teacher)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("model");
        foreach (var c in new[] { "IoU person_masks", "IoU coco", "comp MSE", "comp SAD", "comp Grad", "comp Conn", "comp boundary MSE", "MSE vs teacher", "flicker", "infer p50 ms", "p95 ms" })
            table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var s in scores)
            table.AddRow(Markup.Escape(s.Model), F(s.IouPersonMasks, 4), F(s.IouCocoPerson, 4), F(s.CompositeMse, 5), F(s.CompositeSad, 3),
                F(s.CompositeGradient, 3), F(s.CompositeConnectivity, 3), F(s.CompositeBoundaryMse, 4), F(s.TeacherMse, 5), F(s.Flicker, 5),
                F(s.InferP50Ms, 1), F(s.InferP95Ms, 1));
        ReportTable.Write(table);
        var first = scores[0];
        Console.WriteLine($"photos {first.SegImages}, composites {first.Composites} (the teacher's own foreground and alpha over backgrounds: {teacher} is favoured there), " +
                          $"flicker over {first.FlickerVideos} videos with the pipeline's smoothing; SAD, Grad and Conn in thousands.");
        if (scores.Count > 1 && !double.IsNaN(first.InferP50Ms))
            foreach (var s in scores.Skip(1))
                Console.WriteLine($"speed: {first.Model} p50 = {first.InferP50Ms / s.InferP50Ms:0.00} x {s.Model} p50");
    }

    private static string F(double v, int digits) => double.IsNaN(v) ? "—" : v.ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture);
}
