using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Pipeline.Stages;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Pipeline;

/// <summary>Timing statistics: percentiles of the recent window, with the warm-up frames counted but not timed.</summary>
public class StageStatsTests
{
    [Fact]
    public void Warmup_samples_are_counted_but_left_out_of_the_percentiles()
    {
        var stats = new StageStats("infer") { WarmupFrames = 3 };
        foreach (var ms in new float[] { 900, 800, 700 }) stats.RecordMilliseconds(ms);   // JIT, first inferences
        for (int i = 1; i <= 100; i++) stats.RecordMilliseconds(i);

        var (p50, p95, p99) = stats.Percentiles();
        Assert.Equal((50.0, 95.0, 99.0), (p50, p95, p99));
        Assert.Equal(100, stats.Count);
        Assert.Equal(3, stats.WarmupCount);
        Assert.Equal(50.5, stats.MeanMilliseconds, 6);
    }

    [Fact]
    public void Without_warmup_every_sample_is_timed()
    {
        var stats = new StageStats("infer");
        stats.RecordMilliseconds(900);
        stats.RecordMilliseconds(10);
        Assert.Equal(2, stats.Count);
        Assert.Equal(900, stats.Percentiles().P99);
    }

    [Fact]
    public void The_pipeline_leaves_its_warmup_frames_out_of_every_stage_and_of_the_latency()
    {
        using var source = new TestPatternSource(160, 120, frameCount: 40);
        var settings = new PipelineSettings { Composite = new CompositeSettings(new Background.Color(0, 0, 0)), StatsWarmupFrames = 12 };
        var pipeline = new MattingPipeline(source, new ScriptedModel(opaque: true), new RecordingSink(), settings);

        pipeline.Run();

        foreach (var stage in pipeline.Stages.Append(pipeline.Latency).Append(pipeline.AddedLatency))
        {
            Assert.Equal(12, stage.WarmupCount);
            Assert.Equal(28, stage.Count);
        }
    }
}
