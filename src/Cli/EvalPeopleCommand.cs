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
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the scores to this JSON file" };

    public static Command Build()
    {
        var command = new Command("eval-people",
            "Measure how well models separate people, on the COCO photos with one mask per person (seg/coco_person): " +
            "recall and precision of people at mask IoU 0.5 and 0.75 (paper 003's REC/ACC) and the mean IoU per person.\n\nExample:\n" +
            "  stream-matte eval-people -m stream_matte_instances_r18x05 -m yolov8n_seg_320_fp32 --models-dir ../shared/models")
        {
            Options.ModelList, Data, Json, Options.ModelsDir, Options.Threads, Options.ModelSize,
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
            Console.Error.WriteLine($"eval-people: {string.Join(", ", models.Select(m => m.Name))} on {data}/seg/coco_person, provider {models[0].Provider}");
            var scores = new PeopleEvaluator(data, parse.GetValue(Options.ModelSize), line => Console.Error.WriteLine($"  {line}")).Run(models);
            var table = new Table().Border(TableBorder.Simple);
            foreach (var c in new[] { "model", "photos", "people", "predicted", "REC@0.5", "ACC@0.5", "REC@0.75", "ACC@0.75", "mean IoU", "p50 ms" })
                table.AddColumn(c == "model" ? new TableColumn(c) : new TableColumn(c).RightAligned());
            foreach (var s in scores)
                table.AddRow(Markup.Escape(s.Model), $"{s.Images}", $"{s.People}", $"{s.Predicted}", $"{s.Recall50:0.000}", $"{s.Precision50:0.000}",
                    $"{s.Recall75:0.000}", $"{s.Precision75:0.000}", $"{s.MeanIou:0.000}", $"{s.InferP50Ms:0.0}");
            if (Console.IsOutputRedirected || AnsiConsole.Profile.Width < 140) AnsiConsole.Profile.Width = 140;
            AnsiConsole.Write(table);
            Console.WriteLine($"working size: long side {parse.GetValue(Options.ModelSize)} px; p50 ms is the whole model call (prepare, infer, decode) on these photos.");
            if (parse.GetValue(Json) is { } json)
            {
                File.WriteAllText(json, JsonSerializer.Serialize(new { data, scores }, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"scores written to {json}");
            }
            return 0;
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }
}
