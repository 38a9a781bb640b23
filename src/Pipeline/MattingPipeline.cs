using System.Diagnostics;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.People;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Pipeline.Stages;

namespace StreamMatte.Pipeline;

/// <summary>What a finished run did.</summary>
public sealed record PipelineSummary(long FramesIn, long FramesOut, long FramesDropped, TimeSpan Elapsed, bool Stopped)
{
    public double FramesPerSecond => Elapsed.TotalSeconds > 0 ? FramesOut / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The frame pipeline: source → decode → preprocess → infer → refine → composite → output → sink, each stage
/// a loop on its own task, joined by one-frame channels (<see cref="PipelineContext.CreateLink"/>).
/// <code>
/// using var source = new FileSource("in.mp4");
/// using var sink = new FileSink("out.mp4", source.Format);
/// var summary = new MattingPipeline(source, model, sink, settings).Run();
/// </code>
/// Live mode (a live source): newest frame wins, dropped frames are counted. Offline mode: every frame, in
/// order. A stop request (Ctrl-C) ends the input; frames in flight are finished and the output completed.
/// Any stage failing aborts the run: the sink is not completed, and the first error is rethrown.
/// </summary>
public sealed class MattingPipeline
{
    private readonly IFrameSource _source;
    private readonly IFrameSink _sink;
    private readonly PipelineContext _context;
    private readonly SourceStage _decode;
    private readonly FrameStage[] _stages;
    private readonly SinkStage _output;
    private readonly PeopleStage? _peopleStage;
    private readonly InferenceStage? _inference;        // offline
    private readonly LatestMatteStage? _liveMatte;       // live
    private readonly LiveInference? _network;            // live
    private readonly FlowLimiter? _limiter;              // live
    private readonly MotionWarp? _warp;                  // live, unless turned off

    /// <summary>The most people one frame can hold (the instance network's slots are at most this many).</summary>
    public const int MaxPeople = 20;
    private readonly Compositor _compositor;
    private readonly List<System.Threading.Channels.Channel<Frame>> _links = [];

    public MattingPipeline(IFrameSource source, IMattingModel model, IFrameSink sink, PipelineSettings? settings = null)
        : this(source, model, sink, settings, peopleModel: null) { }

    /// <param name="peopleModel">An instance network (one mask per person) to separate people with; needs <see cref="PipelineSettings.People"/>.</param>
    /// <param name="clock">Times the network's runs in live mode (what the model-size controller decides on); tests pass a fake one.</param>
    public MattingPipeline(IFrameSource source, IMattingModel model, IFrameSink sink, PipelineSettings? settings, IMattingModel? peopleModel, TimeProvider? clock = null)
    {
        _source = source;
        _sink = sink;
        Settings = settings ?? new PipelineSettings();
        Mode = Settings.Mode ?? (source.IsLive ? PipelineMode.Live : PipelineMode.Offline);
        var format = source.Format;
        FrameSize = (format.Width, format.Height);
        WorkingSize = Settings.InferenceSize(format.Width, format.Height);
        // Live, the network's sizes are set up below (LiveInference.PrepareSizes): a probe run at the working size as
        // well would only delay the first frame.
        if (Mode == PipelineMode.Offline) model.Configure(WorkingSize.Width, WorkingSize.Height);
        _compositor = new Compositor(Settings.Composite);
        _compositor.Configure(format.Width, format.Height, WorkingSize.Width, WorkingSize.Height);

        PeopleShape? people = null;
        if (peopleModel != null)
        {
            if (Settings.People is null) throw new ArgumentException("an instance model was given but PipelineSettings.People is not set", nameof(peopleModel));
            if (!peopleModel.Capabilities.HasFlag(ModelCapabilities.Instances))
                throw new ArgumentException($"{peopleModel.Name} ({peopleModel.Family}) does not separate people: it has no instance output", nameof(peopleModel));
            // People are handled at a quarter of the working size: they only split the matte, the detail is the matte's own.
            people = new PeopleShape(Math.Max(1, WorkingSize.Width / 4), Math.Max(1, WorkingSize.Height / 4), MaxPeople);
        }
        else if (Settings.People is not null)
            throw new ArgumentException("PipelineSettings.People is set but no instance model was given", nameof(settings));

        int stageCount = people is null ? 6 : 7, links = stageCount - 1;
        // Every stage can hold one frame and every link one more; one spare lets the source read ahead.
        var pool = new FramePool(links + stageCount + 1, format.Width, format.Height, WorkingSize.Width, WorkingSize.Height, people);
        _context = new PipelineContext(pool, model, Settings, Mode);
        _decode = new SourceStage(_context, source);
        _output = new SinkStage(_context, sink);
        _peopleStage = people is { } shape ? new PeopleStage(_context, peopleModel!, shape) : null;

        // Offline: the network is a stage, every frame waits for its own matte. Live: the network runs beside the
        // frame path on the newest picture (flow limiter in, matte board out) and each frame takes the newest matte.
        FrameStage matteSource;
        FlowLimiter? limiter = null;
        var refine = new RefineStage(_context);
        if (Mode == PipelineMode.Live)
        {
            limiter = new FlowLimiter(WorkingSize.Width, WorkingSize.Height);
            var board = new MatteBoard();
            // The motion warp: the network keeps each matte's frame luma on the board, the matte stage moves the matte by
            // the motion from that frame to its own.
            _warp = Settings.LiveMotionWarp ? new MotionWarp() : null;
            _liveMatte = new LatestMatteStage(_context, board, _warp);
            SizeController = LiveSizeController(format);
            _network = new LiveInference(_context, limiter, board, SizeController, clock ?? TimeProvider.System,
                _warp is null ? null : new MotionLumaMaker());
            // Every size the network may work at is set up now, on both sides: a size change in the run then allocates
            // nothing (before, each left 9-17 MB more resident memory in a 30-minute soak, bench/results/LiveSoak.md).
            var matteSizes = _network.PrepareSizes(SizeController?.Ladder ?? [Settings.InferenceLongSide], WorkingSize.Width, WorkingSize.Height);
            var largest = matteSizes.MaxBy(s => s.Width * s.Height);
            board.Reserve(largest.Width, largest.Height, _warp is null ? (0, 0) : MotionWarp.MotionSize(largest.Width, largest.Height));
            refine.Prepare(matteSizes);
            _warp?.Prepare(matteSizes, WorkingSize.Width, WorkingSize.Height);
            FramePathWarmUp.Run(Settings, FrameSize, WorkingSize);   // compiled now, not on the camera's first frames
            matteSource = _liveMatte;
        }
        else matteSource = _inference = new InferenceStage(_context);
        var stages = new List<FrameStage> { new PreprocessStage(_context, limiter), matteSource };
        if (_peopleStage != null) stages.Add(_peopleStage);
        stages.AddRange([refine, new CompositeStage(_context, _compositor), _output]);
        _stages = [.. stages];
        _limiter = limiter;
        var link = Link(_stages[0].Stats);
        _decode.Output = link.Writer;
        for (int i = 0; i < _stages.Length; i++)
        {
            _stages[i].Input = link.Reader;
            if (i + 1 < _stages.Length)
            {
                link = Link(_stages[i + 1].Stats);
                _stages[i].Output = link.Writer;
            }
        }
        foreach (var stats in Stages.Append(Latency).Append(AddedLatency)) stats.WarmupFrames = Settings.StatsWarmupFrames;
        if (_liveMatte != null) _liveMatte.AgeFrames.WarmupFrames = _liveMatte.AgeTime.WarmupFrames = Settings.StatsWarmupFrames;
        if (_warp != null) _warp.Stats.WarmupFrames = Settings.StatsWarmupFrames;
        // Live, the network runs less often than frames come: its warm-up (JIT, the runtime's first runs) is its first few runs.
        if (_network != null) _network.Stats.WarmupFrames = Math.Min(Settings.StatsWarmupFrames, 5);
    }

    /// <summary>
    /// Live with <see cref="PipelineSettings.AutoModelSize"/>: a controller over the ladder's sizes that differ for this
    /// frame (never larger than the working size; a small input makes several rungs the same size).
    /// </summary>
    private ModelSizeController? LiveSizeController(VideoFormat format)
    {
        if (Settings.AutoModelSize is not { } auto) return null;
        var distinct = auto.Ladder.Where(l => l <= Settings.InferenceLongSide).Append(Settings.InferenceLongSide)
            .GroupBy(l => PipelineSettings.SizeForLongSide(l, WorkingSize.Width, WorkingSize.Height))
            .Select(g => g.Max()).OrderDescending().ToArray();
        return distinct.Length < 2 ? null : new ModelSizeController(auto with { Ladder = distinct }, format.FrameRate);
    }

    private System.Threading.Channels.Channel<Frame> Link(StageStats reader)
    {
        var link = _context.CreateLink(reader);
        _links.Add(link);
        return link;
    }

    public PipelineSettings Settings { get; }
    public PipelineMode Mode { get; }
    public (int Width, int Height) FrameSize { get; }

    /// <summary>The small picture the network is given (before the model's own resize, if it has a fixed input).</summary>
    public (int Width, int Height) WorkingSize { get; }

    /// <summary>The identity tracker, when the run separates people (numbers handed out, switches).</summary>
    public People.IdentityTracker? PeopleTracker => _peopleStage?.Tracker;

    /// <summary>
    /// Per-stage timings, in pipeline order: decode, preprocess, infer, [people,] refine, composite, output; live mode
    /// adds the matte stage after infer (the network runs beside the frames there, its row is its own loop's).
    /// </summary>
    public IReadOnlyList<StageStats> Stages => _network is null
        ? [_decode.Stats, .. _stages.Select(s => s.Stats)]
        : [_decode.Stats, _stages[0].Stats, _network.Stats, .. _stages.Skip(1).Select(s => s.Stats)];

    /// <summary>Live: the long side the network works at now (it changes with <c>--model-size auto</c>), else the fixed one.</summary>
    public int NetworkLongSide => _network?.LongSide ?? Settings.InferenceLongSide;

    /// <summary>Live: "384x216 (network 384x224)", the picture the network is given now; null offline.</summary>
    public string? NetworkSizeText => _network?.SizeText;

    /// <summary>Live with <c>--model-size auto</c>: what picks the size (its budget, changes); null otherwise.</summary>
    public ModelSizeController? SizeController { get; }

    /// <summary>Live: each change of the network's size, described (raised on the network's thread).</summary>
    public event Action<string>? NetworkSizeChanged
    {
        add { if (_network != null) _network.SizeChanged += value; }
        remove { if (_network != null) _network.SizeChanged -= value; }
    }

    /// <summary>Live: why the network's thread could not be given a lower priority, or null.</summary>
    public string? NetworkPriorityProblem => _network?.PriorityProblem;

    /// <summary>Live: mattes finished per second (the matte's refresh rate); null offline (one per frame).</summary>
    public RateMeter? MatteRefresh => _network?.Refresh;

    /// <summary>Live: frames between a frame and the frame its matte came from (offline always 0: null).</summary>
    public StageStats? MatteAge => _liveMatte?.AgeFrames;

    /// <summary>Live: the same age in time (arrival of the frame minus arrival of the matte's frame).</summary>
    public StageStats? MatteAgeTime => _liveMatte?.AgeTime;

    /// <summary>Live with the motion warp on: its time per warped frame (ms); null otherwise.</summary>
    public StageStats? MotionWarpTime => _warp?.Stats;

    /// <summary>Live: pictures the network never saw because a newer one came before it was free.</summary>
    public long PicturesSkippedByNetwork => _limiter?.Superseded ?? 0;

    /// <summary>Arrival to output, per frame.</summary>
    public StageStats Latency => _output.Latency;

    /// <summary>Arrival to output minus the network's time: what the pipeline itself adds.</summary>
    public StageStats AddedLatency => _output.AddedLatency;

    public long FramesIn => _decode.FramesRead;
    public long FramesOut => _output.FramesWritten;
    public long FramesDropped => _stages.Sum(s => s.Stats.Dropped);

    /// <summary>Frames not back in the pool (0 after a run: anything else is a leak).</summary>
    public int FramesOutstanding => _context.Pool.Outstanding;

    public PipelineSummary Run(CancellationToken stop = default) => RunAsync(stop).GetAwaiter().GetResult();

    public async Task<PipelineSummary> RunAsync(CancellationToken stop = default)
    {
        EnsureThreads(_stages.Length + 4);   // the live network has a thread of its own
        var clock = Stopwatch.StartNew();
        using var abort = new CancellationTokenSource();
        var tasks = new List<Task> { Task.Run(() => _decode.RunAsync(stop)) };
        tasks.AddRange(_stages.Select(s => Task.Run(s.RunAsync)));
        if (_network != null) tasks.Add(_network.Start());

        // The first failure aborts every stage (and unblocks the sink); a stop that does not drain in time aborts too.
        using var stopTimer = stop.Register(() => abort.CancelAfter(Settings.StopTimeout));
        foreach (var task in tasks)
            _ = task.ContinueWith(t =>
            {
                if (t.IsFaulted) Abort(abort);
            }, TaskScheduler.Default);
        abort.Token.Register(() =>
        {
            _context.Interrupt();   // ends every channel wait of the stages
            _limiter?.Interrupt();  // and the live network's wait for a picture
            _sink.Abort();          // and a sink blocked in a write
        });

        try { await Task.WhenAll(tasks).ConfigureAwait(false); }
        catch (Exception) { /* examined below, first real error wins */ }
        _compositor.Dispose();
        _warp?.Dispose();
        // A stage that stopped early may have been written to after it drained its input: give those frames back.
        foreach (var link in _links)
            while (link.Reader.TryRead(out var left)) _context.Release(left);

        var failure = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
            .FirstOrDefault(e => e is not OperationCanceledException);
        if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        if (abort.IsCancellationRequested)
            throw new TimeoutException($"the run did not finish within {Settings.StopTimeout.TotalSeconds:0} s of the stop request (the output stopped accepting frames); the output was discarded");
        _sink.Complete();
        return new PipelineSummary(FramesIn, FramesOut, FramesDropped, clock.Elapsed, stop.IsCancellationRequested);
    }

    private static void Abort(CancellationTokenSource abort)
    {
        try { abort.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>
    /// Each stage does synchronous CPU work (or waits on ffmpeg) on a pool thread; without enough pool threads
    /// the runtime adds them slowly and the stages would queue behind each other. Only ever raises the minimum.
    /// </summary>
    private static void EnsureThreads(int needed)
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers < needed) ThreadPool.SetMinThreads(needed, io);
    }
}
