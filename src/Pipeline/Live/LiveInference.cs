using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Stages;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// The network's own loop in live mode, beside the frame path (on a thread of its own, at a lower priority): take the
/// newest picture from the <see cref="FlowLimiter"/>, shrink it to the size the <see cref="ModelSizeController"/>
/// chose (or the fixed one), run the model (slot 0: one run at a time, newest frame first), and publish the matte on
/// the <see cref="MatteBoard"/> stamped with its frame. Its pace is the matte's refresh rate; the frames never wait
/// for it. A recurrent model's state restarts when the scene changes; its frames come in order (newest first means
/// ever later frames). Ownership: the picture taken is the limiter's until the next take; the plane written is the
/// board's slot, rented then published; the model's output is copied out before the next run.
/// </summary>
/// <param name="motion">Set when the frame path warps mattes by the motion since their frame (<see cref="MotionWarp"/>):
/// each matte is published with its frame's luma at the motion size, made here, off the frame path.</param>
internal sealed class LiveInference(PipelineContext context, FlowLimiter input, MatteBoard board, ModelSizeController? sizes, TimeProvider clock,
    MotionLumaMaker? motion = null)
{
    private readonly PictureShrinker _shrinker = new();   // the picture at the network's size, when smaller than the working size
    private long _scene = -1;
    private volatile string _sizeText = "";

    public StageStats Stats { get; } = new("infer");

    /// <summary>Mattes finished per second, recently.</summary>
    public RateMeter Refresh { get; } = new(clock.TimestampFrequency);

    /// <summary>The long side the network works at now, and the picture it is given.</summary>
    public int LongSide { get; private set; } = sizes?.LongSide ?? context.Settings.InferenceLongSide;
    public (int Width, int Height) PictureSize { get; private set; }

    /// <summary>"384x216 (network 384x224)", for the status line.</summary>
    public string SizeText => _sizeText;

    /// <summary>Each size change (set-up time, not per frame), for the log: "512 → 384: inference p50 81 ms over the 67 ms budget".</summary>
    public event Action<string>? SizeChanged;

    /// <summary>Why the thread's priority could not be lowered, or null.</summary>
    public string? PriorityProblem { get; private set; }

    /// <summary>Starts the loop on its own thread (the network's runs are long and synchronous: no pool thread is held).</summary>
    public Task Start() => Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run()
    {
        PriorityProblem = context.Settings.LiveNetworkPriority.ApplyToCurrentThread();
        var model = context.Model;
        while (input.TakeNewest() is { } picture)
        {
            var image = AtNetworkSize(picture.Image);
            if (PictureSize != (image.Width, image.Height)) ConfigureFor(image.Width, image.Height);
            if (picture.Scene != _scene)
            {
                if (_scene >= 0) model.ResetState();
                _scene = picture.Scene;
            }
            long start = clock.GetTimestamp();
            model.Prepare(image, 0);
            model.Infer(0);
            var alpha = model.Read(0).Alpha;
            long end = clock.GetTimestamp();
            var plane = board.Rent(alpha.Width, alpha.Height, out var frameLuma);
            Array.Copy(alpha.Data, plane.Data, alpha.Width * alpha.Height);
            if (motion != null)
            {
                // From the working-size picture, as the frame path makes the current frame's: same steps, same luma.
                var (w, h) = MotionWarp.MotionSize(alpha.Width, alpha.Height);
                motion.Make(picture.Image, w, h, frameLuma);
            }
            board.Publish(picture.Index, picture.Scene, picture.ArrivedAt);
            Refresh.Tick(end);
            double ms = (end - start) * 1000.0 / clock.TimestampFrequency;
            Stats.RecordMilliseconds((float)ms);
            if (sizes != null && sizes.Record(ms))
            {
                int from = LongSide;
                LongSide = sizes.LongSide;
                SizeChanged?.Invoke($"model size {from} → {LongSide}: inference p50 {sizes.MedianMs:0} ms {(LongSide < from ? "over" : "well under")} the {sizes.BudgetMs:0} ms budget");
            }
        }
    }

    /// <summary>
    /// Sets the model up, before any frame comes (the pipeline calls it while it is built), for every size the network
    /// may work at (<paramref name="longSides"/>: the size controller's ladder, or the one fixed size) and ends at the
    /// first one, so that the first picture is run at once (until the first matte every frame is dropped) and a size
    /// change in the run neither allocates nor maps new memory: each size's tensors, bindings (run once each by the
    /// model's set-up), shrunk picture and luma are made, written once and kept. Returns the matte size each long side
    /// gives, for the frame path to prepare its own.
    /// </summary>
    public IReadOnlyList<(int Width, int Height)> PrepareSizes(IReadOnlyList<int> longSides, int workingWidth, int workingHeight)
    {
        var mattes = new List<(int, int)>();
        var model = context.Model;
        var blank = new RgbImage(workingWidth, workingHeight);
        var luma = new MotionLuma();
        foreach (int longSide in longSides.Where(l => l != LongSide).Append(LongSide))
        {
            var (w, h) = PipelineSettings.SizeForLongSide(longSide, workingWidth, workingHeight);
            ConfigureFor(w, h);
            _shrinker.Shrink(blank, w, h);      // its picture for this size made and written (resident) now
            var alpha = model.Read(0).Alpha;   // the output's buffers exist once configured: its size is the matte's
            var (mw, mh) = MotionWarp.MotionSize(alpha.Width, alpha.Height);
            motion?.Make(blank, mw, mh, luma);
            if (!mattes.Contains((alpha.Width, alpha.Height))) mattes.Add((alpha.Width, alpha.Height));
        }
        return mattes;
    }

    /// <summary>Switches the model to a size: set up on its first use (tensors, bindings, a probe run), kept from then on.</summary>
    private void ConfigureFor(int width, int height)
    {
        var model = context.Model;
        model.Configure(width, height);
        PictureSize = (width, height);
        _sizeText = model.InputSize == PictureSize ? $"{width}x{height}" : $"{width}x{height} (network {model.InputSize.Width}x{model.InputSize.Height})";
    }

    /// <summary>The working picture, or a copy shrunk to the chosen long side (buffers made once per size and kept).</summary>
    private RgbImage AtNetworkSize(RgbImage working)
    {
        var (w, h) = PipelineSettings.SizeForLongSide(LongSide, working.Width, working.Height);
        return _shrinker.Shrink(working, w, h);
    }
}
