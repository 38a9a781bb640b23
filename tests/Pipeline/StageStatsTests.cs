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
    public void Cpu_time_is_averaged_over_the_timed_frames_whose_work_stayed_on_one_thread()
    {
        var stats = new StageStats("composite") { WarmupFrames = 1 };
        stats.Record(0, 10, cpuMs: 500);          // warm-up: left out
        stats.Record(0, 10, cpuMs: 4);
        stats.Record(0, 10, cpuMs: double.NaN);   // the work moved threads: unknown, left out
        stats.Record(0, 10, cpuMs: 6);
        Assert.Equal(5, stats.MeanCpuMilliseconds, 6);
        Assert.Equal(3, stats.Count);
        Assert.True(double.IsNaN(new StageStats("decode").MeanCpuMilliseconds));
    }

    [SkippableFact]
    public void The_thread_cpu_clock_counts_work_and_not_waiting()
    {
        Skip.IfNot(ThreadCpuTime.Available, "the thread CPU clock is Linux's");
        long before = ThreadCpuTime.Nanoseconds();
        Thread.Sleep(200);                        // waiting: no CPU
        long slept = ThreadCpuTime.Nanoseconds() - before;
        before = ThreadCpuTime.Nanoseconds();
        double sum = 0;
        for (int i = 0; i < 20_000_000; i++) sum += Math.Sqrt(i);   // working
        long worked = ThreadCpuTime.Nanoseconds() - before;
        Assert.True(sum > 0);
        Assert.True(slept < 50_000_000, $"a 200 ms sleep used {slept / 1e6:0.0} ms of CPU");
        Assert.True(worked > slept, $"work used {worked / 1e6:0.0} ms of CPU, the sleep {slept / 1e6:0.0} ms");
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

    [SkippableFact]
    public void The_pixel_stages_report_their_own_cpu_time()
    {
        Skip.IfNot(ThreadCpuTime.Available, "the thread CPU clock is Linux's");
        using var source = new TestPatternSource(320, 240, frameCount: 20);
        var settings = new PipelineSettings { Composite = new CompositeSettings(new Background.Blur(21)), StatsWarmupFrames = 2 };
        var pipeline = new MattingPipeline(source, new ScriptedModel(opaque: false), new RecordingSink(), settings);

        pipeline.Run();

        foreach (var name in new[] { "refine", "composite" })
        {
            double cpu = pipeline.Stages.Single(s => s.Name == name).MeanCpuMilliseconds;
            Assert.True(cpu > 0, $"{name}: own CPU time per frame {cpu}");
        }
    }
}
