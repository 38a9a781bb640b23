using System.CommandLine;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Cli;

/// <summary>The stream-matte command line: options are declared in <see cref="Options"/>, work is done by the library.</summary>
public static class CommandLine
{
    public static int Invoke(string[] args)
    {
        var root = Build();
        string[] merged;
        try { merged = ConfigFile.Merge(root, args); }
        catch (Exception e) when (e is FileNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine($"stream-matte: error: {e.Message}");
            return 1;
        }
        return root.Parse(merged).Invoke();
    }

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "stream-matte: real-time human video matting. Replaces or blurs the background of a video.\n\n" +
            "Examples:\n" +
            "  stream-matte -i in.mp4 -o out.mp4                         blur the background (default model)\n" +
            "  stream-matte -i in.mp4 -o out.mp4 -b beach.jpg            put the person on a picture\n" +
            "  stream-matte -i in.mp4 -o out.mov -b transparent          ProRes 4444 with alpha, for editing\n" +
            "  stream-matte -i in.mp4 -o null --realtime -m selfie       live mode from a file, shows per-stage latency\n" +
            "  stream-matte -i cam0 -o v4l2:/dev/video10                 webcam → virtual camera for Zoom, Meet, browsers\n" +
            "  stream-matte models --models-dir ../shared/models         what models can be used\n" +
            "  stream-matte doctor                                       check ffmpeg, ONNX Runtime, GPU, cameras, virtual camera\n" +
            "  stream-matte eval -m MODEL --models-dir ../shared/models  measure models on ../shared/data\n" +
            "  stream-matte bench -m MODEL --size 512x288 --json         time a model alone (not end to end)\n" +
            "  stream-matte job plan -i in.mp4 -o out.mp4 --chunks 8 --dir /shared/job   split a long run over machines (see job --help)");
        foreach (var option in Options.Main) root.Add(option);
        root.SetAction(parse => Guarded(() => RunCommand.Run(parse)));

        var models = new Command("models", "List the models stream-matte can find (ours in models/, third-party ones in --models-dir) with their inputs and outputs") { Options.ModelsDir };
        models.SetAction(parse => Guarded(() => ListModels(parse.GetValue(Options.ModelsDir))));
        root.Add(models);
        root.Add(EvalCommand.Build());
        root.Add(EvalPeopleCommand.Build());
        root.Add(DoctorCommand.Build());
        root.Add(BenchCommand.Build());
        root.Add(JobCommand.Build());
        return root;
    }

    /// <summary>Every failure a user can cause ends here: one clear line on stderr and exit code 1, no stack trace.</summary>
    internal static int Guarded(Func<int> action)
    {
        try
        {
            try { return action(); }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1) { throw e.InnerException!; }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or OrtException or ModelContractException
                                      or FfmpegException or ArgumentException or InvalidOperationException or IOException
                                      or TimeoutException or NotSupportedException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"stream-matte: error: {e.Message}");
            return 1;
        }
    }

    internal static string FirstLine(string? s) => (s ?? "").Split('\n')[0].Trim();

    private static int ListModels(string? modelsDir)
    {
        var entries = ModelCatalog.Discover(modelsDir);
        var runtime = OrtRuntime.Load();
        Console.WriteLine($"ONNX Runtime {runtime.Version}, {runtime.Package} ({runtime.LibraryPath})");
        if (ModelCatalog.OurModelsDir() is { } ours && !entries.Any(e => e.IsOurs))
            Console.WriteLine($"ours ({ours}): none yet");
        if (ModelCatalog.ThirdPartyModelsDir(modelsDir) is null)
            Console.WriteLine($"third-party: no models directory given (--models-dir DIR or ${ModelCatalog.ModelsDirEnvironmentVariable})");
        var best = ModelCatalog.DefaultAmong(entries);
        foreach (var e in entries)
        {
            string status = e.IsUsable ? e.Family! : $"not usable: {FirstLine(e.Problem)}";
            Console.WriteLine();
            Console.WriteLine($"{e.Name}{(e == best ? "  [default]" : "")}  ({(e.IsOurs ? "ours" : "third-party")}) — {status}");
            foreach (var i in e.Inputs) Console.WriteLine($"    in   {i}");
            foreach (var o in e.Outputs) Console.WriteLine($"    out  {o}");
        }
        return 0;
    }
}
