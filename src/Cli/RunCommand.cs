using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using StreamMatte.Jobs;
using StreamMatte.Models;
using StreamMatte.Models.Adapters;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.People;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Cli;

/// <summary>The main job: open source, model and sink from the options, log the effective configuration, run, report.</summary>
internal static class RunCommand
{
    /// <param name="chunk">One chunk of a job (<c>job run</c>): its stretch of the input, its outputs in the chunk's folder,
    /// and the warm-up frames left out of every output.</param>
    public static int Run(ParseResult parse, ChunkWork? chunk = null)
    {
        string input = parse.GetValue(Options.Input) ?? throw new ArgumentException("--input is required (try --help)");
        string output = chunk?.MainOutput ?? parse.GetValue(Options.Output) ?? throw new ArgumentException("--output is required: a file, or null to discard (try --help)");
        var settings = Settings(parse);
        if (chunk != null && settings.People is { } perPerson) settings = settings with { People = perPerson with { OutputDirectory = chunk.InstanceOutput } };
        bool transparent = settings.Composite.Background is Background.Transparent;

        using var source = chunk is null ? OpenSource(input, parse) : OpenChunkSource(input, parse, chunk);
        using var model = OpenModel(parse, source.IsLive, settings.LiveNetworkPriority, out string? modelChoice);
        using var peopleModel = settings.People is null ? null : OpenPeopleModel(parse);
        var sinks = new List<IFrameSink>();
        try
        {
            bool live = source.IsLive;
            // A chunk's parts carry no audio: the merge takes it from the input once, for the whole clip.
            var format = chunk is null ? source.Format : source.Format with { AudioFrom = null };
            sinks.Add(output == "null" ? new NullSink()
                : VirtualCameraSink.IsVirtualCamera(output, out string device)
                    ? new VirtualCameraSink(device, source.Format.Width, source.Format.Height, source.Format.FrameRate,
                        YuvConverter.Parse(parse.GetValue(Options.VcamFormat) ?? "yuyv"))
                : new FileSink(output, format, transparent ? OutputContent.Transparent : OutputContent.Composite, parse.GetValue(Options.Codec), fillGaps: live));
            if ((chunk is null ? parse.GetValue(Options.MatteOutput) : chunk.MatteOutput) is { } matteOutput)
                sinks.Add(new FileSink(matteOutput, source.Format with { AudioFrom = null }, OutputContent.Matte, fillGaps: live));
            if (settings.People?.OutputDirectory is { } peopleDir) sinks.Add(new PeopleMatteSink(peopleDir));
            IFrameSink sink = sinks.Count == 1 ? sinks[0] : new TeeSink(sinks);
            if (chunk != null)
            {
                // The warm-up settles the matte's temporal state; only the chunk's own frames reach its outputs,
                // except each person's matte on the warm-up, which the merge uses to match people across chunks.
                sink = new FrameWindowSink(sink, chunk.WarmupFrames);
                if (chunk.OverlapInstanceOutput is { } overlap && settings.People != null)
                {
                    var warmupPeople = new PeopleMatteSink(overlap);
                    sinks.Add(warmupPeople);
                    sink = new TeeSink([sink, new FrameWindowSink(warmupPeople, 0, chunk.WarmupFrames)]);
                }
            }
            var pipeline = new MattingPipeline(source, model, sink, settings, peopleModel);
            LogConfiguration(source, model, sink, pipeline, peopleModel, modelChoice);
            pipeline.NetworkSizeChanged += change => Console.Error.WriteLine(change);
            return Execute(pipeline, source.Format.FrameCount, output);
        }
        finally
        {
            foreach (var s in sinks) s.Dispose();
        }
    }

    internal static PipelineSettings Settings(ParseResult parse)
    {
        double smoothing = parse.GetValue(Options.Smoothing);
        if (smoothing is < 0 or > 0.95) throw new ArgumentException($"--smoothing must be between 0 and 0.95, got {smoothing}");
        double shrink = parse.GetValue(Options.EdgeShrink);
        if (shrink is < 0 or > 0.5) throw new ArgumentException($"--edge-shrink must be between 0 and 0.5, got {shrink}");
        double wrap = parse.GetValue(Options.LightWrap);
        if (wrap is < 0 or > 1) throw new ArgumentException($"--light-wrap must be between 0 and 1, got {wrap}");
        string sizeText = (parse.GetValue(Options.ModelSize) ?? "auto").Trim();
        bool autoSize = sizeText.Equals("auto", StringComparison.OrdinalIgnoreCase);
        var autoLadder = new AutoModelSize();
        int modelSize = autoSize ? autoLadder.Ladder.Max() : int.TryParse(sizeText, CultureInfo.InvariantCulture, out int fixedSize) ? fixedSize
            : throw new ArgumentException($"--model-size must be auto or a number of pixels, got '{sizeText}'");
        if (modelSize is < 64 or > 4096) throw new ArgumentException($"--model-size must be auto or between 64 and 4096 pixels, got {modelSize}");
        var networkPriority = NetworkPriority.Parse(parse.GetValue(Options.NetworkPriorityOption) ?? "idle");
        bool motionWarp = (parse.GetValue(Options.MotionWarp) ?? "on").Trim().ToLowerInvariant() switch
        {
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--motion-warp must be on or off, got '{other}'"),
        };
        int blur = parse.GetValue(Options.Blur);
        if (blur < 1) throw new ArgumentException($"--blur must be at least 1 pixel, got {blur}");
        var upsampling = (parse.GetValue(Options.UpsamplingOption) ?? "guided").ToLowerInvariant() switch
        {
            "guided" => Upsampling.Guided,
            "bilinear" => Upsampling.Bilinear,
            var other => throw new ArgumentException($"--upsampling must be guided or bilinear, got '{other}'"),
        };
        return new PipelineSettings
        {
            InferenceLongSide = modelSize,
            AutoModelSize = autoSize ? autoLadder : null,
            LiveNetworkPriority = networkPriority,
            LiveMotionWarp = motionWarp,
            Upsampling = upsampling,
            Smoothing = new SmoothingSettings((float)smoothing),
            Composite = new CompositeSettings(Background.Parse(parse.GetValue(Options.Background) ?? "blur", blur), parse.GetValue(Options.Decontaminate), (float)wrap),
            EdgeShrink = (float)shrink,
            Feather = Math.Max(0, parse.GetValue(Options.Feather)),
            SkipIdenticalFrames = parse.GetValue(Options.SkipIdentical),
            People = PeopleOptions(parse),
            StatsWarmupFrames = Math.Max(0, parse.GetValue(Options.StatsWarmup)),
        };
    }

    /// <summary>The per-person settings, or null when none of the people options is given.</summary>
    internal static PeopleSettings? PeopleOptions(ParseResult parse)
    {
        string? keep = parse.GetValue(Options.Keep), remove = parse.GetValue(Options.Remove), dir = parse.GetValue(Options.InstanceOutput);
        int every = parse.GetValue(Options.InstanceEvery);
        if (every is < 1 or > 30) throw new ArgumentException($"--instance-every must be between 1 and 30 frames, got {every}");
        bool wanted = parse.GetValue(Options.Instances) || keep != null || remove != null || dir != null || parse.GetValue(Options.PeopleModel) != null;
        if (!wanted) return null;
        var settings = new PeopleSettings { RemoveIds = Numbers(remove, "--remove"), OutputDirectory = dir, Every = every };
        return (keep ?? "all").Trim().ToLowerInvariant() switch
        {
            "all" => settings,
            "largest" => settings with { Keep = KeepPeople.Largest },
            var ids => settings with { Keep = KeepPeople.Chosen, KeepIds = Numbers(ids, "--keep") },
        };
    }

    private static HashSet<int> Numbers(string? text, string option)
    {
        var ids = new HashSet<int>();
        if (string.IsNullOrWhiteSpace(text)) return ids;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(part, CultureInfo.InvariantCulture, out int id) && id >= 1) ids.Add(id);
            else throw new ArgumentException($"{option} takes person numbers (1, 2, … as the log shows them){(option == "--keep" ? ", all or largest" : "")}, got '{text}'");
        return ids;
    }

    private static IMattingModel OpenPeopleModel(ParseResult parse)
    {
        string? modelsDir = parse.GetValue(Options.ModelsDir);
        var settings = Session(parse);
        OrtRuntime.Load(settings.Device, settings.LibraryPath); // before the default model is looked for: --device webgpu needs npm's library
        string name = parse.GetValue(Options.PeopleModel)
            ?? ModelCatalog.Discover(modelsDir).FirstOrDefault(e => e.IsUsable && e.Family == InstanceMattingModel.FamilyName)?.Path
            ?? throw new FileNotFoundException($"separating people needs an instance network: models/{InstanceMattingModel.FilePrefix}_*.onnx is missing, or pass --people-model FILE");
        var model = ModelCatalog.Open(name, settings, modelsDir);
        if (!model.Capabilities.HasFlag(ModelCapabilities.Instances))
        {
            string what = $"{model.Name} ({model.Family})";
            model.Dispose();
            throw new ArgumentException($"--people-model {what} does not separate people; use {InstanceMattingModel.FilePrefix}_r18x05 or yolov8n_seg_320_fp32");
        }
        return model;
    }

    private static IFrameSource OpenSource(string input, ParseResult parse)
    {
        (int, int)? size = parse.GetValue(Options.Size) is { } text ? ParseSize(text) : null;
        double? fps = parse.GetValue(Options.Fps);
        if (fps is <= 0 or > 240) throw new ArgumentException($"--fps must be between 0 and 240, got {fps}");
        if (input == "testsrc")
        {
            // The synthetic picture, delivered like a camera (live) unless --frames bounds it as a clip.
            var (w, h) = size ?? (1280, 720);
            var pattern = new TestPatternSource(w, h, fps ?? 30, parse.GetValue(Options.Frames));
            return parse.GetValue(Options.Frames) is null || parse.GetValue(Options.Realtime) ? new RealtimePacer(pattern) : pattern;
        }
        if (CameraSource.IsCamera(input))
        {
            var format = (parse.GetValue(Options.CameraFormat) ?? "mjpeg").ToLowerInvariant() switch
            {
                "mjpeg" => CameraFormat.Mjpeg,
                "yuyv" => CameraFormat.Yuyv,
                var other => throw new ArgumentException($"--camera-format must be mjpeg or yuyv, got '{other}'"),
            };
            return new CameraSource(input, size, fps, format);
        }
        IFrameSource source = new FileSource(input, size, fps, parse.GetValue(Options.Frames));
        // A virtual camera is live: a file feeding it is played at its own rate, like a camera.
        bool toCamera = VirtualCameraSink.IsVirtualCamera(parse.GetValue(Options.Output) ?? "", out _);
        return parse.GetValue(Options.Realtime) || toCamera ? new RealtimePacer(source) : source;
    }

    /// <summary>A chunk's stretch of the input file, at the run's size and rate.</summary>
    private static FileSource OpenChunkSource(string input, ParseResult parse, ChunkWork chunk)
    {
        (int, int)? size = parse.GetValue(Options.Size) is { } text ? ParseSize(text) : null;
        return new FileSource(input, size, parse.GetValue(Options.Fps), range: chunk.Range);
    }

    internal static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int w) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int h)
            && w is >= 16 and <= 8192 && h is >= 16 and <= 8192)
            return (w & ~1, h & ~1);
        throw new ArgumentException($"--size must look like 1280x720, got '{text}'");
    }

    private static SessionSettings Session(ParseResult parse) => new()
    {
        Device = SessionSettings.ParseDevice(parse.GetValue(Options.Device) ?? "auto"),
        IntraOpThreads = parse.GetValue(Options.Threads),
        AllowSpinning = false, // the cores are shared with ffmpeg's decoder and encoder, the pixel stages and a second model
    };

    /// <summary>
    /// The model named, or the default: the best family found, and live, its fastest form that keeps quality on the
    /// committed <c>stream-matte eval</c> figures (<see cref="FasterForms"/>; our student: int8). Live, the session
    /// is created on a thread of lowered priority, so ONNX Runtime's worker threads (made with the session) inherit it.
    /// </summary>
    private static IMattingModel OpenModel(ParseResult parse, bool live, NetworkPriority priority, out string? choice)
    {
        string? modelsDir = parse.GetValue(Options.ModelsDir);
        var settings = Session(parse);
        choice = null;
        OrtRuntime.Load(settings.Device, settings.LibraryPath); // before the default model is looked for: --device webgpu needs npm's library
        string? name = parse.GetValue(Options.Model);
        if (name is null)
        {
            var entries = ModelCatalog.Discover(modelsDir);
            var best = ModelCatalog.DefaultAmong(entries)
                ?? throw new FileNotFoundException("no model found: pass --model FILE, or --models-dir DIR (e.g. ../shared/models); `stream-matte models` lists what is found");
            name = best.Path;
            if (live && FasterForms.ForLive(best, entries) is { } faster)
            {
                name = faster.Form.Path;
                choice = faster.Reason;
            }
        }
        string chosen = name;
        return live ? OnLowerPriorityThread(priority, () => ModelCatalog.Open(chosen, settings, modelsDir)) : ModelCatalog.Open(chosen, settings, modelsDir);
    }

    private static T OnLowerPriorityThread<T>(NetworkPriority priority, Func<T> work) where T : class
    {
        T? result = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            priority.ApplyToCurrentThread();
            try { result = work(); }
            catch (Exception e) { error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
        }) { Name = "open model (lower priority)" };
        thread.Start();
        thread.Join();
        error?.Throw();
        return result!;
    }

    /// <summary>The effective configuration, once at start: what support needs to reproduce a run.</summary>
    private static void LogConfiguration(IFrameSource source, IMattingModel model, IFrameSink sink, MattingPipeline pipeline, IMattingModel? peopleModel, string? modelChoice)
    {
        var s = pipeline.Settings;
        var f = source.Format;
        var e = Console.Error;
        e.WriteLine($"input      {source.Description}: {f}{(f.FrameCount is { } n ? (n == 1 ? ", a still picture (1 frame)" : $", {n} frames") : "")}");
        bool live = pipeline.Mode == PipelineMode.Live;
        e.WriteLine($"mode       {pipeline.Mode.ToString().ToLowerInvariant()}{(live
            ? $" (frames at the source's rate; the network runs beside them on the newest frame, at priority {s.LiveNetworkPriority}, each frame gets the newest matte, {(s.LiveMotionWarp ? "moved by the motion since its frame (motion warp on) and " : "not moved (motion warp off), ")}fitted to its own edges; a slow frame path drops frames, counted)"
            : " (every frame its own matte, in order, double-buffered)")}");
        e.WriteLine($"model      {model.Name} ({model.Family}){(modelChoice is null ? "" : $" — {modelChoice}")}");
        string sizing = pipeline.SizeController is { } auto
            ? $"network size {s.AutoModelSize}: budget {auto.BudgetMs:0} ms a run at {f.FrameRate:0.##} fps, starts at {auto.LongSide}"
            : $"network input {model.InputSize.Width}x{model.InputSize.Height}{(live ? "" : s.AutoModelSize is null ? "" : " (--model-size auto offline: the largest size, every frame waits for its own matte anyway)")}";
        e.WriteLine($"size       working size {pipeline.WorkingSize.Width}x{pipeline.WorkingSize.Height}, {sizing}");
        e.WriteLine($"provider   {model.Provider}{Attempts(model)}");
        e.WriteLine($"matte      {s.Upsampling.ToString().ToLowerInvariant()} upsampling{(s.Upsampling == Upsampling.Guided ? $" (r={s.Guided.Radius}, eps={s.Guided.Epsilon})" : "")}, " +
                    $"smoothing {s.Smoothing.Strength:0.##}, feather {s.Feather} px, edge shrink {s.EdgeShrink:0.##}{(s.SkipIdenticalFrames ? ", identical frames reuse the matte" : "")}");
        e.WriteLine($"background {s.Composite.Background}, decontaminate {(s.Composite.Decontaminate ? "on" : "off")}, light wrap {s.Composite.LightWrap:0.##}");
        if (peopleModel != null)
            e.WriteLine($"people     {peopleModel.Name} ({peopleModel.Family}, {peopleModel.Provider}), {s.People}");
        e.WriteLine($"output     {sink.Description}");
    }

    private static string Attempts(IMattingModel model) =>
        model is OnnxMattingModel onnx && onnx.Session.ProviderAttempts.Count > 1
            ? $" (tried: {string.Join("; ", onnx.Session.ProviderAttempts.Where(a => !a.Succeeded).Select(a => $"{a.Provider} unavailable: {CommandLine.FirstLine(a.FailureReason)}"))})"
            : "";

    private static int Execute(MattingPipeline pipeline, long? totalFrames, string output)
    {
        using var stop = new CancellationTokenSource();
        bool stopping = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (stopping) return; // a second Ctrl-C ends the process the hard way
            stopping = true;
            e.Cancel = true;
            Console.Error.WriteLine();
            Console.Error.WriteLine("stopping: finishing the frames in flight (Ctrl-C again to quit at once)");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
        try
        {
            var summary = Reporting.Run(pipeline, totalFrames, stop.Token);
            Reporting.PrintSummary(pipeline, summary, output);
            return summary.Stopped ? 130 : 0;
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }
}
