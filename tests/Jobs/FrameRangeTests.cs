using StreamMatte.Imaging;
using StreamMatte.Jobs;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>The pipeline hooks a chunk needs: a source that starts at an exact frame, a sink that leaves out the warm-up.</summary>
public class FrameRangeTests
{
    private static readonly Lazy<string> Clip = new(() => StampedClip.Make(Tool.TempDir(), 60));

    private static List<long> Read(FileSource source)
    {
        var image = new RgbImage(source.Format.Width, source.Format.Height);
        var stamps = new List<long>();
        while (source.Read(image, out _)) stamps.Add(FrameStamp.Read(image));
        return stamps;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]   // just after a keyframe (every 12 frames), among B-frames
    [InlineData(24)]   // on a keyframe
    [InlineData(47)]
    public void A_seek_between_two_frames_timestamps_starts_exactly_at_the_later_frame(int first)
    {
        var timeline = FrameTimeline.Probe(Clip.Value);
        Assert.True(timeline.HasTimestamps);
        Assert.Equal(60, timeline.FrameCount);
        using var source = new FileSource(Clip.Value, range: new FrameRange(first, 10, timeline.SeekTo(first)));
        Assert.Equal(Enumerable.Range(first, 10).Select(i => (long)i), Read(source));
        Assert.Equal(10, source.Format.FrameCount);
    }

    [Fact]
    public void Counting_from_the_start_reaches_the_same_frame_without_timestamps()
    {
        using var source = new FileSource(Clip.Value, range: new FrameRange(31, 5, SeekSeconds: null, SkipFrames: 31));
        Assert.Equal([31L, 32, 33, 34, 35], Read(source));
    }

    [Fact]
    public void A_seek_and_a_count_combine()
    {
        var timeline = FrameTimeline.Probe(Clip.Value);
        using var source = new FileSource(Clip.Value, range: new FrameRange(30, 4, timeline.SeekTo(24), SkipFrames: 6));
        Assert.Equal([30L, 31, 32, 33], Read(source));
    }

    [Fact]
    public void A_range_beyond_the_end_is_an_error_not_a_short_chunk()
    {
        var timeline = FrameTimeline.Probe(Clip.Value);
        using var source = new FileSource(Clip.Value, range: new FrameRange(55, 10, timeline.SeekTo(55)));
        var image = new RgbImage(source.Format.Width, source.Format.Height);
        var e = Assert.Throws<StreamMatte.Pipeline.Video.FfmpegException>(() => { while (source.Read(image, out _)) { } });
        Assert.Contains("ended after 5 of the 10 frames of its frames 55–64", e.Message);
    }

    [Fact]
    public void The_window_sink_passes_on_only_the_frames_after_the_warm_up()
    {
        using var source = new TestPatternSource(160, 120, frameCount: 12);
        var after = new RecordingSink();
        var during = new RecordingSink();
        var sink = new TeeSink([new FrameWindowSink(after, skip: 5), new FrameWindowSink(during, skip: 0, take: 5)]);
        new MattingPipeline(source, new ScriptedModel(opaque: true), sink, new PipelineSettings { Composite = new CompositeSettings(new Background.Color(0, 0, 0)) }).Run();
        Assert.Equal([5L, 6, 7, 8, 9, 10, 11], after.Stamps);
        Assert.Equal([0L, 1, 2, 3, 4], during.Stamps);
        Assert.True(after.Completed);
    }

    [Fact]
    public void The_plan_splits_evenly_and_gives_each_chunk_its_warm_up()
    {
        var manifest = JobPlanner.Plan(new JobRequest { Input = Clip.Value, Output = "/tmp/x.mp4", Arguments = [], Chunks = 4, WarmupFrames = 10 });
        Assert.Equal(60, manifest.TotalFrames);
        Assert.Equal("timestamps", manifest.Seeking);
        Assert.Equal([0L, 15, 30, 45], manifest.Chunks.Select(c => c.First));
        Assert.All(manifest.Chunks, c => Assert.Equal(15, c.Count));
        Assert.Equal([0L, 10, 10, 10], manifest.Chunks.Select(c => c.Warmup));
        Assert.Null(manifest.Chunks[0].SeekSeconds);
        Assert.All(manifest.Chunks.Skip(1), c => Assert.NotNull(c.SeekSeconds));
        var limited = JobPlanner.Plan(new JobRequest { Input = Clip.Value, Output = "/tmp/x.mp4", Arguments = [], Chunks = 3, MaxFrames = 9 });
        Assert.Equal(9, limited.TotalFrames);
        Assert.Equal([0L, 3, 6], limited.Chunks.Select(c => c.First));
        Assert.Equal([0L, 3, 6], limited.Chunks.Select(c => c.Warmup));   // at most back to the first frame
        var e = Assert.Throws<ArgumentException>(() => JobPlanner.Plan(new JobRequest { Input = Clip.Value, Output = "/tmp/x.mp4", Arguments = [], Chunks = 61 }));
        Assert.Contains("has 60 frames: too few for 61 chunks", e.Message);
    }
}
