using System.Diagnostics;
using System.Text;
using Spectre.Console;
using StreamMatte.Pipeline;

namespace StreamMatte.Cli;

/// <summary>
/// What the user sees while a run goes: a progress bar with ETA for files (Spectre.Console, on a terminal),
/// a one-line status every 2 s for live runs (fps, per-stage p50/p95, latency, drops), and a summary at the end.
/// Everything goes to stderr, so stdout stays free for scripts.
/// </summary>
internal static class Reporting
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    public static PipelineSummary Run(MattingPipeline pipeline, long? totalFrames, CancellationToken stop)
    {
        var run = pipeline.RunAsync(stop);
        bool interactive = !Console.IsErrorRedirected;
        if (pipeline.Mode == PipelineMode.Offline && totalFrames is > 0 && interactive)
            return WithProgressBar(pipeline, run, totalFrames.Value);
        var clock = Stopwatch.StartNew();
        // Waiting on the handle, not run.Wait(): a failed run must surface as its own exception, not an AggregateException.
        while (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(StatusInterval))
            Console.Error.WriteLine(pipeline.Mode == PipelineMode.Live ? LiveStatus(pipeline, clock.Elapsed) : OfflineStatus(pipeline, totalFrames, clock.Elapsed));
        return run.GetAwaiter().GetResult();
    }

    private static PipelineSummary WithProgressBar(MattingPipeline pipeline, Task<PipelineSummary> run, long total)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("matting", maxValue: total);
                while (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(250)))
                {
                    task.Value = pipeline.FramesOut;
                    task.Description = $"frame {pipeline.FramesOut}/{total}";
                }
                task.Value = pipeline.FramesOut;
            });
        return run.GetAwaiter().GetResult();
    }

    private static string OfflineStatus(MattingPipeline pipeline, long? total, TimeSpan elapsed)
    {
        double fps = pipeline.FramesOut / Math.Max(1e-3, elapsed.TotalSeconds);
        if (total is not > 0) return $"frame {pipeline.FramesOut}, {fps:0.0} fps";
        long t = total.Value;
        string eta = fps > 0 ? $", ETA {TimeSpan.FromSeconds((t - pipeline.FramesOut) / fps):mm\\:ss}" : "";
        return $"frame {pipeline.FramesOut}/{t} ({100.0 * pipeline.FramesOut / t:0}%), {fps:0.0} fps{eta}";
    }

    /// <summary>
    /// "12 s | in 29.9 fps, out 29.8 fps | decode 2.1/3.0 infer 61/70 … ms p50/p95 | latency 30/41 ms (+30/41 beyond inference) |
    /// network 384x216, matte 14.2/s, age 2/3 frames (p50/p95) | dropped 3".
    /// </summary>
    internal static string LiveStatus(MattingPipeline pipeline, TimeSpan elapsed)
    {
        double seconds = Math.Max(1e-3, elapsed.TotalSeconds);
        var text = new StringBuilder();
        text.Append($"{elapsed.TotalSeconds:0} s | in {pipeline.FramesIn / seconds:0.0} fps, out {pipeline.FramesOut / seconds:0.0} fps |");
        foreach (var stage in pipeline.Stages)
        {
            var (p50, p95, _) = stage.Percentiles();
            if (!double.IsNaN(p50)) text.Append($" {stage.Name} {p50:0.0}/{p95:0.0}");
        }
        text.Append(" ms p50/p95 |");
        var (l50, l95, _) = pipeline.Latency.Percentiles();
        var (a50, a95, _) = pipeline.AddedLatency.Percentiles();
        text.Append(double.IsNaN(l50)
            ? $" latency: warming up (first {pipeline.Settings.StatsWarmupFrames} frames not timed)"
            : $" latency {l50:0}/{l95:0} ms (+{a50:0}/{a95:0} beyond inference)");
        if (pipeline.MatteRefresh is { } refresh)
        {
            double rate = refresh.PerSecond;   // NaN until the network has run twice
            text.Append(double.IsNaN(rate)
                ? $" | network {pipeline.NetworkSizeText}, matte: first network runs ({refresh.Count} so far)"
                : $" | network {pipeline.NetworkSizeText}, matte {rate:0.0}/s");
            var (g50, g95, _) = pipeline.MatteAge!.Percentiles();
            if (!double.IsNaN(g50)) text.Append($", age {g50:0}/{g95:0} frames");
        }
        text.Append($" | dropped {pipeline.FramesDropped}");
        return text.ToString();
    }

    /// <summary>" (at preprocess 3, matte 4)": where live frames were dropped (a stage still busy with the frame before, or at matte: no matte yet), or "".</summary>
    private static string DropsByStage(MattingPipeline pipeline)
    {
        var parts = pipeline.Stages.Where(s => s.Dropped > 0).Select(s => $"{s.Name} {s.Dropped}").ToList();
        return parts.Count == 0 ? "" : $" (at {string.Join(", ", parts)})";
    }

    public static void PrintSummary(MattingPipeline pipeline, PipelineSummary summary, string output)
    {
        var e = Console.Error;
        e.WriteLine($"{(summary.Stopped ? "stopped" : "done")}: {summary.FramesOut} of {summary.FramesIn} frames in {summary.Elapsed.TotalSeconds:0.0} s " +
                    $"({summary.FramesPerSecond:0.0} fps){(pipeline.Mode == PipelineMode.Live ? $", {summary.FramesDropped} dropped{DropsByStage(pipeline)}" : "")} → {output}");
        if (pipeline.PeopleTracker is { } tracker)
            e.WriteLine($"people: {tracker.Identities} numbered over {tracker.Frames} frame{(tracker.Frames == 1 ? "" : "s")} the instance network ran on, {tracker.Switches} likely identity switch{(tracker.Switches == 1 ? "" : "es")} (a new number where a lost person was; {100.0 * tracker.Switches / Math.Max(1, tracker.Frames):F1} per 100 frames)");
        if (pipeline.MatteRefresh is { } refresh)
        {
            var (g50, g95, g99) = pipeline.MatteAge!.Percentiles();
            var (t50, t95, _) = pipeline.MatteAgeTime!.Percentiles();
            e.WriteLine($"matte: {refresh.Count} network runs for {summary.FramesOut} frames out ({refresh.Count / Math.Max(1e-3, summary.Elapsed.TotalSeconds):0.0} a second, " +
                        $"{pipeline.PicturesSkippedByNetwork} pictures skipped while it was busy), age p50/p95/p99 {g50:0}/{g95:0}/{g99:0} frames ({t50:0}/{t95:0} ms), " +
                        $"network size {pipeline.NetworkSizeText}{(pipeline.SizeController is { } auto ? $" (auto, {auto.Changes} change{(auto.Changes == 1 ? "" : "s")}, budget {auto.BudgetMs:0} ms)" : "")}");
        }
        e.WriteLine(pipeline.FramesOutstanding == 0
            ? "frames: every pooled frame returned"
            : $"frames: {pipeline.FramesOutstanding} pooled frames not returned (a leak)");
        e.WriteLine($"stage       p50 ms   p95 ms   p99 ms   mean ms  frames   cpu ms   (timings leave out each stage's first {pipeline.Settings.StatsWarmupFrames} frames: warm-up; " +
                    "cpu = the stage's own thread, mean per frame: the rest of its time it waited for the cores)");
        foreach (var stage in pipeline.Stages.Append(pipeline.Latency).Append(pipeline.AddedLatency))
        {
            var (p50, p95, p99) = stage.Percentiles();
            if (stage.Count == 0) continue;   // a run shorter than the warm-up has no timings to show
            double cpu = stage.MeanCpuMilliseconds;
            e.WriteLine($"{stage.Name,-11} {p50,6:0.0}   {p95,6:0.0}   {p99,6:0.0}   {stage.MeanMilliseconds,6:0.0}   {stage.Count + stage.WarmupCount,6}" +
                        (double.IsNaN(cpu) ? "" : $"   {cpu,6:0.0}"));
        }
    }
}
