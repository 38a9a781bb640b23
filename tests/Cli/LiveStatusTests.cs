using StreamMatte.Cli;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Cli;

/// <summary>The live status line the user reads every 2 s.</summary>
public class LiveStatusTests
{
    [Fact]
    public void Before_the_network_has_run_twice_the_status_line_says_so_instead_of_a_rate_of_NaN()
    {
        using var source = new TestPatternSource(320, 180, frameCount: 10);
        var settings = new PipelineSettings
        {
            Mode = PipelineMode.Live,
            InferenceLongSide = 160,
            Smoothing = new SmoothingSettings(0),
            Composite = new CompositeSettings(new Background.Transparent(), Decontaminate: false),
        };
        var pipeline = new MattingPipeline(source, new StampReadingModel(), new NullSink(), settings);

        string status = Reporting.LiveStatus(pipeline, TimeSpan.FromSeconds(2));

        Assert.DoesNotContain("NaN", status);
        Assert.Contains("matte: first network runs (0 so far)", status);
    }
}
