using System.CommandLine;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Cli;

/// <summary>The stream-matte command line: options are declared here, work is done by the library.</summary>
public static class CommandLine
{
    private static readonly Option<string?> Input = new("--input", "-i") { Description = "Video or image to read, e.g. in.mp4" };
    private static readonly Option<string?> Output = new("--output", "-o") { Description = "File to write (H.264 MP4), e.g. out.mp4" };
    private static readonly Option<string?> Model = new("--model", "-m") { Description = "Model file or name (see `stream-matte models`); default: the best one found" };
    private static readonly Option<string?> ModelsDir = new("--models-dir") { Description = $"Folder of third-party models, e.g. ../shared/models (or ${ModelCatalog.ModelsDirEnvironmentVariable})" };
    private static readonly Option<string> Device = new("--device") { Description = "Where the model runs: auto (CUDA, else CPU), cpu, cuda or webgpu. The provider that runs is always printed", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int> Threads = new("--threads") { Description = "Inference threads (0 = one per core)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> BackgroundOption = new("--background", "-b") { Description = "blur, blur:RADIUS, green, black, white, blue or #RRGGBB", DefaultValueFactory = _ => "blur" };

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "stream-matte: real-time human video matting. Replaces or blurs the background of a video.\n\n" +
            "Examples:\n" +
            "  stream-matte --input in.mp4 --output out.mp4 --models-dir ../shared/models\n" +
            "  stream-matte --input in.mp4 --output green.mp4 --background green --model rvm_mobilenetv3_fp32\n" +
            "  stream-matte models --models-dir ../shared/models")
        {
            Input, Output, Model, ModelsDir, Device, Threads, BackgroundOption,
        };
        root.SetAction(parse => Guarded(() => RunOffline(parse)));

        var models = new Command("models", "List the models stream-matte can find (ours in models/, third-party ones in --models-dir) with their inputs and outputs") { ModelsDir };
        models.SetAction(parse => Guarded(() => ListModels(parse.GetValue(ModelsDir))));
        root.Add(models);
        return root;
    }

    /// <summary>Every failure a user can cause ends here: one clear line on stderr and exit code 1, no stack trace.</summary>
    private static int Guarded(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or OrtException or ModelContractException
                                      or FfmpegException or ArgumentException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"stream-matte: error: {e.Message}");
            return 1;
        }
    }

    private static SessionSettings Settings(ParseResult parse) => new()
    {
        Device = SessionSettings.ParseDevice(parse.GetValue(Device) ?? "auto"),
        IntraOpThreads = parse.GetValue(Threads),
        AllowSpinning = false, // the cores are shared with ffmpeg's decoder and encoder
    };

    private static int RunOffline(ParseResult parse)
    {
        string input = parse.GetValue(Input) ?? throw new ArgumentException("--input is required (try --help)");
        string output = parse.GetValue(Output) ?? throw new ArgumentException("--output is required (try --help)");
        string? modelsDir = parse.GetValue(ModelsDir);
        var background = Background.Parse(parse.GetValue(BackgroundOption) ?? "blur");
        var settings = Settings(parse);
        string modelName = parse.GetValue(Model)
            ?? ModelCatalog.DefaultModel(modelsDir)?.Path
            ?? throw new FileNotFoundException("no model found: pass --model FILE, or --models-dir DIR (e.g. ../shared/models); `stream-matte models` lists what is found");
        var info = MediaInfo.Probe(input);
        using var model = ModelCatalog.Open(modelName, settings, modelsDir);
        model.Configure(info.Width & ~1, info.Height & ~1);

        // The effective configuration, logged once at start (what support needs to reproduce a run).
        Console.Error.WriteLine($"input      {input}: {info.Width}x{info.Height} @ {info.FrameRate:0.##} fps, {info.FrameCount?.ToString() ?? "?"} frames{(info.HasAudio ? ", audio" : "")}");
        Console.Error.WriteLine($"model      {model.Name} ({model.Family}), network input {model.InputSize.Width}x{model.InputSize.Height}");
        Console.Error.WriteLine($"provider   {model.Provider}{Attempts(model)}");
        Console.Error.WriteLine($"background {background}");
        Console.Error.WriteLine($"output     {output}: H.264 MP4{(info.HasAudio ? " + audio (copied)" : "")}");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new ProgressLine();
            var summary = new OfflineJob(model, background).Run(input, output, progress.Report, cancel.Token);
            progress.Finish();
            Console.Error.WriteLine($"{(summary.Cancelled ? "stopped" : "done")}: {summary.FramesOut} frames in {summary.Elapsed.TotalSeconds:0.0} s ({summary.FramesPerSecond:0.0} fps) → {output}");
            return summary.Cancelled ? 130 : 0;
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }

    private static string Attempts(IMattingModel model) =>
        model is StreamMatte.Models.Adapters.OnnxMattingModel onnx && onnx.Session.ProviderAttempts.Count > 1
            ? $" (tried: {string.Join("; ", onnx.Session.ProviderAttempts.Where(a => !a.Succeeded).Select(a => $"{a.Provider} unavailable: {FirstLine(a.FailureReason)}"))})"
            : "";

    private static string FirstLine(string? s) => (s ?? "").Split('\n')[0].Trim();

    private static int ListModels(string? modelsDir)
    {
        var entries = ModelCatalog.Discover(modelsDir);
        var runtime = OrtRuntime.Load();
        Console.WriteLine($"ONNX Runtime {runtime.Version} ({runtime.LibraryPath})");
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

/// <summary>A one-line progress report on stderr, rewritten in place on a terminal, every 2 s otherwise.</summary>
internal sealed class ProgressLine
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.FromSeconds(-10);
    private readonly bool _interactive = !Console.IsErrorRedirected;

    public void Report(long done, int? total)
    {
        var now = _clock.Elapsed;
        if (now - _last < (_interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(2))) return;
        _last = now;
        double fps = done / Math.Max(1e-3, now.TotalSeconds);
        string eta = total is int t && fps > 0 ? $", ETA {TimeSpan.FromSeconds((t - done) / fps):mm\\:ss}" : "";
        string text = total is int n ? $"frame {done}/{n} ({100.0 * done / n:0}%), {fps:0.0} fps{eta}" : $"frame {done}, {fps:0.0} fps";
        if (_interactive) Console.Error.Write($"\r{text}   "); else Console.Error.WriteLine(text);
    }

    public void Finish()
    {
        if (_interactive) Console.Error.WriteLine();
    }
}
