using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Evaluation;

namespace StreamMatte.Cli;

/// <summary>`stream-matte eval-people`: instance models on the real multi-person photos (see <see cref="PeopleEvaluator"/>).</summary>
internal static class EvalPeopleCommand
{
    private static readonly Option<string> Data = new("--data")
    { Description = "The data folder (its seg/coco_person is used)", DefaultValueFactory = _ => "../shared/data" };
    private static readonly Option<string> PhotoSet = new("--photos")
    {
        Description = "Which coco_person photos: test (the half our instance network never trains on: even places in name order) or all",
        DefaultValueFactory = _ => "test",
    };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the scores to this JSON file" };
    private static readonly Option<bool> Identities = new("--identities")
    { Description = "Also measure identity stability on videos: switches per 100 frames against a reference model's tracklets" };
    private static readonly Option<string> Reference = new("--reference")
    { Description = "The model whose detections, linked frame to frame, are the reference tracklets for --identities", DefaultValueFactory = _ => "yolov8n_seg_320_fp32" };
    private static readonly Option<string[]> Videos = new("--videos")
    {
        Description = "Clips for --identities (paths, or names in the data folder's videos/)",
        DefaultValueFactory = _ => ["street_crowd_720p.avi", "pedestrians_576p.avi"], AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<int> VideoFrames = new("--video-frames") { Description = "Frames of each clip for --identities", DefaultValueFactory = _ => 200 };

    public static Command Build()
    {
        var command = new Command("eval-people",
            "Measure how well models separate people, on the COCO photos with one mask per person (seg/coco_person; by default " +
            "its test half, which our instance network never trains on): " +
            "recall and precision of people at mask IoU 0.5 and 0.75 (paper 003's REC/ACC) and the mean IoU per person.\n\nExample:\n" +
            "  stream-matte eval-people -m stream_matte_instances_r18x05 -m yolov8n_seg_320_fp32 --models-dir ../shared/models\n" +
            "  stream-matte eval-people -m stream_matte_instances_r18x05 --identities --models-dir ../shared/models   (adds identity switches on videos)")
        {
            Options.ModelList, Data, PhotoSet, Json, Options.ModelsDir, Options.Threads, Options.MeasureModelSize, Identities, Reference, Videos, VideoFrames,
        };
        command.SetAction(parse => CommandLine.Guarded(() => Run(parse)));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        string? modelsDir = parse.GetValue(Options.ModelsDir);
        var settings = new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = parse.GetValue(Options.Threads), AllowSpinning = false };
        var names = parse.GetValue(Options.ModelList) is { Length: > 0 } given ? given
            : [ModelCatalog.Discover(modelsDir).FirstOrDefault(e => e.IsUsable && e.Family == Models.Adapters.InstanceMattingModel.FamilyName)?.Path
               ?? throw new FileNotFoundException("no instance model found: pass --model")];
        var models = new List<IMattingModel>();
        try
        {
            foreach (var name in names)
            {
                var model = ModelCatalog.Open(name, settings, modelsDir);
                models.Add(model);
                if (!model.Capabilities.HasFlag(ModelCapabilities.Instances))
                    throw new ArgumentException($"{model.Name} ({model.Family}) does not separate people: it has no instance output");
            }
            string data = parse.GetValue(Data)!;
            var photoSet = (parse.GetValue(PhotoSet) ?? "test").ToLowerInvariant() switch
            {
                "test" => CocoPersonPhotos.Test,
                "all" => CocoPersonPhotos.All,
                var other => throw new ArgumentException($"--photos must be test or all, got '{other}'"),
            };
            Console.Error.WriteLine($"eval-people: {string.Join(", ", models.Select(m => m.Name))} on {data}/seg/coco_person ({(photoSet == CocoPersonPhotos.Test ? "test half" : "all photos")}), provider {models[0].Provider}");
            var scores = new PeopleEvaluator(data, parse.GetValue(Options.MeasureModelSize), line => Console.Error.WriteLine($"  {line}"), photoSet).Run(models);
            var table = new Table().Border(TableBorder.Simple);
            foreach (var c in new[] { "model", "photos", "people", "predicted", "REC@0.5", "ACC@0.5", "REC@0.75", "ACC@0.75", "mean IoU", "p50 ms" })
                table.AddColumn(c == "model" ? new TableColumn(c) : new TableColumn(c).RightAligned());
            foreach (var s in scores)
                table.AddRow(Markup.Escape(s.Model), $"{s.Images}", $"{s.People}", $"{s.Predicted}", $"{s.Recall50:0.000}", $"{s.Precision50:0.000}",
                    $"{s.Recall75:0.000}", $"{s.Precision75:0.000}", $"{s.MeanIou:0.000}", $"{s.InferP50Ms:0.0}");
            ReportTable.Write(table);
            Console.WriteLine($"working size: long side {parse.GetValue(Options.MeasureModelSize)} px; p50 ms is the whole model call (prepare, infer, decode) on these photos.");
            var identities = parse.GetValue(Identities) ? MeasureIdentities(parse, models, settings, modelsDir, data) : [];
            if (parse.GetValue(Json) is { } json)
            {
                File.WriteAllText(json, JsonSerializer.Serialize(new { data, photos = photoSet.ToString().ToLowerInvariant(), scores, identities }, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"scores written to {json}");
            }
            return 0;
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    private static List<IdentityScores> MeasureIdentities(ParseResult parse, List<IMattingModel> models, SessionSettings settings, string? modelsDir, string data)
    {
        using var reference = ModelCatalog.Open(parse.GetValue(Reference)!, settings, modelsDir);
        if (!reference.Capabilities.HasFlag(ModelCapabilities.Instances))
            throw new ArgumentException($"the reference {reference.Name} ({reference.Family}) does not separate people");
        var videos = parse.GetValue(Videos)!.Select(v => File.Exists(v) ? v : Path.Combine(data, "videos", v)).ToList();
        foreach (var v in videos)
            if (!File.Exists(v)) throw new FileNotFoundException($"no such video: {v}");
        int frames = parse.GetValue(VideoFrames);
        var results = new List<IdentityScores>();
        foreach (var model in models)
            foreach (var video in videos)
            {
                Console.Error.WriteLine($"  identities: {model.Name} on {Path.GetFileName(video)} ({frames} frames, reference {reference.Name})");
                results.Add(IdentityEvaluator.Run(model, reference, video, parse.GetValue(Options.MeasureModelSize), frames));
            }
        var table = new Table().Border(TableBorder.Simple);
        foreach (var c in new[] { "model", "video", "frames", "numbers", "tracklets", "reference people", "matched", "switches", "per 100 frames" })
            table.AddColumn(c is "model" or "video" ? new TableColumn(c) : new TableColumn(c).RightAligned());
        foreach (var r in results)
            table.AddRow(Markup.Escape(r.Model), Markup.Escape(r.Video), $"{r.Frames}", $"{r.NumbersHandedOut}", $"{r.Tracklets}", $"{r.Detections}",
                $"{r.Matched}", $"{r.Switches}", $"{r.SwitchesPer100Frames:0.0}");
        ReportTable.Write(table);
        Console.WriteLine($"identity switches: a reference tracklet ({reference.Name}'s people linked frame to frame at IoU ≥ {IdentitySwitchCounter.LinkIou}) " +
                          $"matched (IoU ≥ {IdentitySwitchCounter.MatchIou}) to a different number than before; 'matched' is how many reference people had one of ours.");
        return results;
    }
}
