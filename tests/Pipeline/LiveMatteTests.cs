using StreamMatte.Imaging;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Pipeline;

/// <summary>
/// Live mode's network beside the frame path: every frame gets the newest matte there is and never one from a later
/// frame, frames come out in order and once, the frames do not wait for the network; offline every frame its own.
/// The network here is <see cref="StampReadingModel"/>: its matte spells the number of the frame it really saw.
/// </summary>
public class LiveMatteTests
{
    /// <summary>Smoothing off and bilinear upsampling, so the bands of the fake matte reach the sink intact.</summary>
    private static PipelineSettings Settings(PipelineMode? mode = null, int modelSize = 320) => new()
    {
        Mode = mode,
        InferenceLongSide = modelSize,
        Upsampling = Upsampling.Bilinear,
        Smoothing = new SmoothingSettings(0),
        Composite = new CompositeSettings(new Background.Transparent(), Decontaminate: false),   // the picture is left as it is: its stamp stays readable
        StopTimeout = TimeSpan.FromSeconds(5),
        // The network at the frames' own priority: under SCHED_IDLE a loaded test machine (the suite runs classes in
        // parallel) can starve it until every frame has gone by with no matte. Its priority has tests of its own.
        LiveNetworkPriority = NetworkPriority.Nice(0),
    };

    /// <summary>What each frame that came out was, and which frame's matte it carried (read from the matte's pixels).</summary>
    private sealed class MatteRecordingSink : IFrameSink
    {
        public List<(long Index, long Stamp, long MatteFrom, long MatteSeen)> Frames { get; } = [];
        public ManualResetEventSlim Gate { get; } = new(false);
        public int OpenGateAfter { get; init; } = int.MaxValue;
        public bool GateOpenedByFrames { get; private set; }
        public string Description => "matte recording";
        public void Write(Frame frame)
        {
            Frames.Add((frame.Index, FrameStamp.Read(frame.Image), frame.MatteFrom, StampReadingModel.ReadBands(frame.Alpha)));
            if (Frames.Count == OpenGateAfter)
            {
                GateOpenedByFrames = true;
                Gate.Set();
            }
        }
        public void Complete() { }
        public void Dispose() { }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Live_every_frame_gets_the_newest_matte_never_a_later_frames_in_order_and_once_while_the_network_is_slow(bool motionWarp)
    {
        // The network's second run does not end until 40 frames have come out: if the frames waited for the network,
        // none would (the gate gives up after 30 s and the test fails on the count below). The source hands out a
        // frame only when the one before is out or dropped, so no frame is dropped for speed, however loaded the machine.
        var sink = new MatteRecordingSink { OpenGateAfter = 40 };
        MattingPipeline? running = null;
        using var source = new LockStepSource(new TestPatternSource(640, 360, frameCount: 120), () => running!.FramesOut + running.FramesDropped);
        var model = new StampReadingModel(delay: TimeSpan.FromMilliseconds(20), gate: (2, sink.Gate));
        var pipeline = running = new MattingPipeline(source, model, sink, Settings(PipelineMode.Live) with { LiveMotionWarp = motionWarp });

        var summary = pipeline.Run();

        var frames = sink.Frames;
        Assert.Equal(PipelineMode.Live, pipeline.Mode);
        Assert.True(sink.GateOpenedByFrames, $"only {frames.Count} frames came out while the network was busy: the frames waited for it " +
            $"(dropped in front of: {string.Join(", ", pipeline.Stages.Select(st => $"{st.Name} {st.Dropped}"))})");
        Assert.True(frames.Zip(frames.Skip(1)).All(p => p.First.Index < p.Second.Index), "frames out of order or shown twice");
        Assert.All(frames, f => Assert.Equal(f.Index, f.Stamp));              // the pixels are that frame's
        // The matte is the one the network made from that frame's picture. With the motion warp its bands are moved with
        // the picture's motion (the figure moves), so they are read only without it; which matte it was is MatteFrom still.
        if (!motionWarp) Assert.All(frames, f => Assert.Equal(f.MatteFrom, f.MatteSeen));
        Assert.All(frames, f => Assert.True(f.MatteFrom <= f.Index, $"frame {f.Index} got the matte of the later frame {f.MatteFrom}"));
        Assert.True(frames.Zip(frames.Skip(1)).All(p => p.First.MatteFrom <= p.Second.MatteFrom), "a frame got an older matte than the frame before it");
        Assert.True(frames.Count(f => f.MatteFrom < f.Index) >= 39, "the frames out while the network was held used an earlier frame's matte");
        Assert.Equal(summary.FramesIn, summary.FramesOut + summary.FramesDropped);
        Assert.Equal(model.Inferences, pipeline.MatteRefresh!.Count);
        // The warp moves exactly the mattes that came from an earlier frame (a frame's own matte is left as it is).
        if (motionWarp)
        {
            var warps = pipeline.MotionWarpTime!;
            Assert.Equal(frames.Count(f => f.MatteFrom < f.Index), warps.WarmupCount + warps.Count);
        }
        else Assert.Null(pipeline.MotionWarpTime);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void Offline_every_frame_gets_its_own_matte()
    {
        using var source = new TestPatternSource(640, 360, frameCount: 40);
        var model = new StampReadingModel(delay: TimeSpan.FromMilliseconds(5));
        var sink = new MatteRecordingSink();
        var pipeline = new MattingPipeline(source, model, sink, Settings() with { AutoModelSize = new AutoModelSize() });

        pipeline.Run();

        Assert.Equal(PipelineMode.Offline, pipeline.Mode);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), sink.Frames.Select(f => f.Index));
        Assert.All(sink.Frames, f => Assert.Equal((f.Index, f.Index), (f.MatteFrom, f.MatteSeen)));
        Assert.Equal(40, model.Inferences);
        Assert.Null(pipeline.SizeController);   // offline ignores auto: every frame waits for its own matte anyway
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void Auto_size_settles_on_the_largest_size_whose_runs_fit_the_budget_on_made_up_times()
    {
        // Runs cost 0.5 ms per thousand pixels (charged to a fake clock): 512x288 takes 74 ms, over the 67 ms budget of two
        // frames at 30 fps; 448x252 takes 56 ms and fits.
        var clock = new ManualClock();
        var model = new StampReadingModel(clock: clock, costMs: (w, h) => w * h * 0.5 / 1000);
        // A frame is read only after the network has run once per frame before it, so it runs often enough, however loaded the machine.
        using var source = new LockStepSource(new TestPatternSource(1024, 576, frameRate: 30, frameCount: 40), () => Volatile.Read(ref model.Inferences));
        var settings = Settings(PipelineMode.Live, modelSize: 512) with { AutoModelSize = new AutoModelSize() };
        var pipeline = new MattingPipeline(source, model, new NullSink(), settings, peopleModel: null, clock);

        pipeline.Run();

        Assert.True(model.Inferences >= 20, $"the network ran only {model.Inferences} times");
        Assert.Equal(448, pipeline.NetworkLongSide);
        Assert.Equal((192, 108), model.Sizes[0]);      // the warm-up starts small (10 ms) and goes straight to 448 (56 ms predicted)
        // Every size of the ladder is set up before any frame, the first one last (a change in the run then allocates
        // nothing); never the unused working size. The one change in the run is a switch to a size set up before.
        Assert.Equal([(512, 288), (448, 252), (384, 216), (320, 180), (256, 144), (192, 108), (448, 252)], model.Configured);
        Assert.Equal((448, 252), model.Sizes[^1]);
        Assert.Equal(1, pipeline.SizeController!.Changes);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void The_board_never_gives_a_frame_the_matte_of_a_later_frame_or_of_another_scene()
    {
        var board = new MatteBoard();
        void Publish(long index, long scene, float value)
        {
            var plane = board.Rent(4, 2);
            Array.Fill(plane.Data, value);
            board.Publish(index, scene, arrivedAt: index);
        }
        var into = new FloatPlane(4, 2);

        Assert.False(board.TryCopyNewest(3, 0, into, out _, out _));   // nothing finished yet
        Publish(5, 0, 0.5f);
        Publish(7, 0, 0.7f);
        Assert.False(board.TryCopyNewest(4, 0, into, out _, out _));   // only later frames' mattes: none for frame 4
        Assert.True(board.TryCopyNewest(6, 0, into, out long from, out _));
        Assert.Equal((5L, 0.5f), (from, into.Data[0]));
        Assert.True(board.TryCopyNewest(9, 0, into, out from, out _));
        Assert.Equal((7L, 0.7f), (from, into.Data[7]));
        Publish(8, 1, 0.8f);                                            // a cut: scene 1 starts at frame 8
        Assert.True(board.TryCopyNewest(9, 1, into, out from, out _));
        Assert.Equal(8, from);
        Assert.True(board.TryCopyNewest(9, 0, into, out from, out _));
        Assert.Equal(7, from);
        Assert.False(board.TryCopyNewest(7, 1, into, out _, out _));
    }

    [Fact]
    public void The_board_keeps_with_each_matte_the_luma_of_its_frame_and_forgets_it_when_the_slot_is_reused()
    {
        var board = new MatteBoard();
        var plane = board.Rent(4, 2, out var luma);
        Assert.True(luma.IsEmpty);
        luma.Resize(2, 1);
        (luma.Data[0], luma.Data[1]) = (11, 22);
        board.Publish(3, 0, arrivedAt: 3);
        var matteFrame = new MotionLuma();
        Assert.True(board.TryCopyNewest(3, 0, new FloatPlane(4, 2), out long from, out _, matteFrame));
        Assert.Equal((3L, 2, 1, (byte)11, (byte)22), (from, matteFrame.Width, matteFrame.Height, matteFrame.Data[0], matteFrame.Data[1]));

        // Every slot rented again: a matte published without its frame's luma (the warp off) is copied with none.
        for (long i = 4; i < 4 + MatteBoard.Slots; i++)
        {
            board.Rent(4, 2);
            board.Publish(i, 0, arrivedAt: i);
        }
        Assert.True(board.TryCopyNewest(10, 0, new FloatPlane(4, 2), out from, out _, matteFrame));
        Assert.Equal(4 + MatteBoard.Slots - 1, from);
        Assert.True(matteFrame.IsEmpty);
    }

    [Fact]
    public void The_flow_limiter_hands_the_network_the_newest_picture_and_never_makes_the_frame_path_wait()
    {
        var limiter = new FlowLimiter(8, 4);
        var picture = new RgbImage(8, 4);
        for (long i = 0; i < 5; i++)
        {
            picture.Pixels[0] = (byte)i;
            limiter.Offer(picture, i, scene: 0, arrivedAt: i);   // nobody takes: the offers return at once all the same
        }
        var taken = limiter.TakeNewest()!;
        Assert.Equal((4L, (byte)4), (taken.Index, taken.Image.Pixels[0]));
        Assert.Equal(4, limiter.Superseded);

        limiter.Offer(picture, 5, 0, 5);     // written into a picture other than the one the network holds
        Assert.Equal(4, taken.Index);
        Assert.Equal(5, limiter.TakeNewest()!.Index);
        limiter.Complete();
        Assert.Null(limiter.TakeNewest());
    }

    [Fact]
    public void An_aborted_run_ends_the_networks_wait_for_a_picture()
    {
        var limiter = new FlowLimiter(8, 4);
        var wait = Task.Run(limiter.TakeNewest);
        limiter.Interrupt();
        Assert.Throws<OperationCanceledException>(() => wait.GetAwaiter().GetResult());
    }

    [Fact]
    public void A_failing_network_aborts_a_live_run_with_its_error_and_returns_every_frame()
    {
        using var source = new RealtimePacer(new TestPatternSource(640, 360, frameRate: 100, frameCount: 300));
        var pipeline = new MattingPipeline(source, new FailingModel(failAt: 3), new NullSink(), Settings());
        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Run());
        Assert.Contains("network failed", error.Message);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    /// <summary>Reads the next frame only once every frame read before has come out or been dropped (or after 10 s).</summary>
    private sealed class LockStepSource(IFrameSource inner, Func<long> accountedFor) : IFrameSource
    {
        private long _read;
        public VideoFormat Format => inner.Format;
        public bool IsLive => false;
        public string Description => "lock-step";

        public bool Read(RgbImage image, out TimeSpan timestamp)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (accountedFor() < _read && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(1);
            _read++;
            return inner.Read(image, out timestamp);
        }

        public void Dispose() => inner.Dispose();
    }

    private sealed class FailingModel(int failAt) : StreamMatte.Models.Contract.IMattingModel
    {
        private readonly StampReadingModel _inner = new();
        private int _runs;
        public string Name => "failing";
        public string Family => "test";
        public StreamMatte.Models.Contract.ModelCapabilities Capabilities => _inner.Capabilities;
        public string Provider => "none";
        public (int Width, int Height)? FrameSize => _inner.FrameSize;
        public (int Width, int Height) InputSize => _inner.InputSize;
        public void Configure(int w, int h) => _inner.Configure(w, h);
        public void Prepare(RgbImage frame, int slot) => _inner.Prepare(frame, slot);
        public void Infer(int slot)
        {
            if (++_runs == failAt) throw new InvalidOperationException("network failed (simulated)");
            _inner.Infer(slot);
        }
        public StreamMatte.Models.Contract.MatteOutput Read(int slot) => _inner.Read(slot);
        public void ResetState() { }
        public void Dispose() { }
    }
}
