using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Pipeline;

/// <summary>The channel pipeline: order, completeness, drops, ownership of pooled frames, stop and failure.</summary>
public class PipelineTests
{
    private static PipelineSettings Settings(PipelineMode? mode = null) => new()
    {
        Mode = mode,
        Composite = new CompositeSettings(new Background.Color(0, 0, 0)),
        StopTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public void Offline_every_frame_comes_out_once_and_in_order()
    {
        using var source = new TestPatternSource(160, 120, frameCount: 90);
        var model = new ScriptedModel(opaque: true, inferDelay: TimeSpan.FromMilliseconds(2));
        var sink = new RecordingSink { Delay = TimeSpan.FromMilliseconds(1) };
        var pipeline = new MattingPipeline(source, model, sink, Settings());

        var summary = pipeline.Run();

        Assert.Equal(PipelineMode.Offline, pipeline.Mode);
        Assert.Equal(Enumerable.Range(0, 90).Select(i => (long)i), sink.Indices);
        Assert.Equal(sink.Indices, sink.Stamps); // the pixels that came out belong to the frame with that index
        Assert.Equal(90, summary.FramesOut);
        Assert.Equal(0, summary.FramesDropped);
        Assert.True(sink.Completed);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void Frame_order_survives_encoding_stamped_indices_read_back_from_the_output_file()
    {
        string dir = Path.Combine(Path.GetTempPath(), "stream-matte-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string clip = Path.Combine(dir, "stamped.mp4"), output = Path.Combine(dir, "out.mp4");
        // A generated clip whose frames carry their index in their pixels...
        using (var pattern = new TestPatternSource(320, 240, frameRate: 30, frameCount: 75))
        using (var sink = new FileSink(clip, pattern.Format))
            new MattingPipeline(pattern, new ScriptedModel(opaque: true), sink, Settings()).Run();
        // ...decoded, matted and encoded again by the pipeline...
        using (var source = new FileSource(clip))
        using (var sink = new FileSink(output, source.Format))
            new MattingPipeline(source, new ScriptedModel(opaque: true), sink, Settings()).Run();
        // ...comes out with every index once, in order.
        using var reader = new StreamMatte.Pipeline.Video.VideoReader(output);
        var frame = new StreamMatte.Imaging.RgbImage(reader.Width, reader.Height);
        var stamps = new List<long>();
        while (reader.ReadFrame(frame)) stamps.Add(FrameStamp.Read(frame));
        Assert.Equal(Enumerable.Range(0, 75).Select(i => (long)i), stamps);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Live_mode_drops_the_oldest_frames_when_the_frame_path_is_slower_than_the_source_and_counts_them()
    {
        using var source = new RealtimePacer(new TestPatternSource(160, 120, frameRate: 200, frameCount: 120));
        var model = new ScriptedModel(opaque: true, inferDelay: TimeSpan.FromMilliseconds(5));
        var sink = new RecordingSink { Delay = TimeSpan.FromMilliseconds(20) };
        var pipeline = new MattingPipeline(source, model, sink, Settings());

        var summary = pipeline.Run();

        Assert.Equal(PipelineMode.Live, pipeline.Mode);
        Assert.True(summary.FramesDropped > 0, "a source at 200 fps into an output taking 20 ms a frame must drop frames");
        Assert.Equal(summary.FramesIn, summary.FramesOut + summary.FramesDropped);
        Assert.True(sink.Indices.Zip(sink.Indices.Skip(1)).All(p => p.First < p.Second), "indices must increase");
        Assert.Equal(sink.Indices, sink.Stamps);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void Preparing_the_next_frame_overlaps_inference_of_the_current_one()
    {
        using var source = new TestPatternSource(320, 240, frameCount: 30);
        var model = new ScriptedModel(opaque: true, inferDelay: TimeSpan.FromMilliseconds(15));
        new MattingPipeline(source, model, new RecordingSink(), Settings()).Run();

        var calls = model.Calls.ToArray();
        var prepareStarts = calls.Where(c => c.Call == "prepare-start").Select(c => c.Ticks).ToArray();
        var inferEnds = calls.Where(c => c.Call == "infer-end").Select(c => c.Ticks).ToArray();
        // Frame k+1 was being prepared before frame k's inference ended: preprocessing did not wait for it.
        int overlaps = Enumerable.Range(0, 29).Count(k => prepareStarts[k + 1] < inferEnds[k]);
        Assert.True(overlaps >= 25, $"frame k+1 was prepared during inference of frame k only {overlaps} times of 29");
        // A slot is never prepared while it is being inferred.
        var busy = new bool[2];
        foreach (var (call, slot, _) in calls)
        {
            if (call == "infer-start") busy[slot] = true;
            if (call == "infer-end") busy[slot] = false;
            if (call == "prepare-start") Assert.False(busy[slot], $"slot {slot} prepared while in use");
        }
    }

    [Fact]
    public void A_failing_sink_aborts_the_run_with_its_error_and_returns_every_frame()
    {
        using var source = new TestPatternSource(160, 120, frameCount: 200);
        var sink = new RecordingSink { FailAt = 10 };
        var pipeline = new MattingPipeline(source, new ScriptedModel(), sink, Settings());

        var error = Assert.Throws<IOException>(() => pipeline.Run());

        Assert.Contains("disk full", error.Message);
        Assert.False(sink.Completed);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void A_stop_request_finishes_the_frames_in_flight_and_completes_the_output()
    {
        using var source = new TestPatternSource(160, 120); // endless
        var sink = new RecordingSink();
        var pipeline = new MattingPipeline(source, new ScriptedModel(inferDelay: TimeSpan.FromMilliseconds(2)), sink, Settings());
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var summary = pipeline.Run(stop.Token);

        Assert.True(summary.Stopped);
        Assert.True(sink.Completed);
        Assert.Equal(summary.FramesIn, summary.FramesOut); // nothing read was lost
        Assert.Equal(Enumerable.Range(0, (int)summary.FramesOut).Select(i => (long)i), sink.Indices);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void A_stalled_output_does_not_hang_a_stop_it_aborts_after_the_timeout()
    {
        using var source = new TestPatternSource(160, 120);
        var sink = new RecordingSink { StallAt = 5 };
        var pipeline = new MattingPipeline(source, new ScriptedModel(), sink, Settings());
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var error = Assert.Throws<TimeoutException>(() => pipeline.Run(stop.Token));

        Assert.Contains("did not finish within 2 s", error.Message);
        Assert.True(sink.Aborted);
        Assert.False(sink.Completed);
        Assert.Equal(0, pipeline.FramesOutstanding);
    }

    [Fact]
    public void A_scene_cut_resets_the_models_recurrent_state_once()
    {
        using var source = new CutSource(new TestPatternSource(160, 120, frameCount: 40), cutAt: 20);
        var model = new ScriptedModel();
        new MattingPipeline(source, model, new RecordingSink(), Settings()).Run();
        Assert.Equal(1, model.Resets);
    }

    [Fact]
    public void Identical_frames_reuse_the_matte_when_asked_and_the_network_runs_less()
    {
        using var still = new CutSource(new TestPatternSource(160, 120, frameCount: 60), cutAt: int.MaxValue, freeze: true);
        var model = new ScriptedModel();
        var sink = new RecordingSink();
        new MattingPipeline(still, model, sink, Settings() with { SkipIdenticalFrames = true, MaxReusedFrames = 5 }).Run();
        Assert.Equal(60, sink.Indices.Count);
        Assert.Equal(10, model.Inferences); // one run, then five reuses, over and over
    }

    /// <summary>Wraps a source: from <c>cutAt</c> on the picture is inverted (a scene cut); with <c>freeze</c> every frame repeats the first.</summary>
    private sealed class CutSource(IFrameSource inner, int cutAt, bool freeze = false) : IFrameSource
    {
        private int _n;
        private byte[]? _first;
        public VideoFormat Format => inner.Format;
        public bool IsLive => inner.IsLive;
        public string Description => "cut";

        public bool Read(StreamMatte.Imaging.RgbImage image, out TimeSpan timestamp)
        {
            if (!inner.Read(image, out timestamp)) return false;
            if (freeze)
            {
                _first ??= (byte[])image.Pixels.Clone();
                _first.CopyTo(image.Pixels, 0);
            }
            if (_n++ >= cutAt)
                for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = (byte)(255 - image.Pixels[i]);
            return true;
        }

        public void Dispose() => inner.Dispose();
    }
}
