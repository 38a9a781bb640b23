using System.Diagnostics;
using StreamMatte.Imaging;
using StreamMatte.Models.Contract;

namespace StreamMatte.Pipeline.Evaluation;

/// <summary>Inference time of one model: network only (the input prepared once), after warm-up.</summary>
public sealed record InferenceTiming(string Model, string Provider, int Width, int Height, int Runs, double P50Ms, double P95Ms, double MeanMs)
{
    public double FramesPerSecond => 1000 / P50Ms;
}

/// <summary>
/// Times models the way the pipeline runs them (the same adapters, Configure → Prepare → Infer), several models
/// interleaved run by run so that all of them see the same machine load: a side-by-side ratio from one run is
/// trustworthy even on a busy machine where absolute numbers are not.
/// </summary>
public static class InferenceTimer
{
    public static IReadOnlyList<InferenceTiming> Measure(IReadOnlyList<IMattingModel> models, int width, int height, int runs,
        int warmup = 3, Action<string>? progress = null)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), "at least one timed run");
        var image = new RgbImage(width, height);
        new Random(1).NextBytes(image.Pixels);
        var times = models.Select(_ => new double[runs]).ToList();
        foreach (var model in models)
        {
            model.Configure(width, height);
            model.Prepare(image, 0);
            for (int i = 0; i < warmup; i++) model.Infer(0);
        }
        for (int run = 0; run < runs; run++)
        {
            if (run % 10 == 0) progress?.Invoke($"timed run {run + 1}/{runs}");
            for (int m = 0; m < models.Count; m++)
            {
                long t = Stopwatch.GetTimestamp();
                models[m].Infer(0);
                times[m][run] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        }
        return models.Select((m, i) =>
        {
            var sorted = times[i].Order().ToArray();
            var (w, h) = m.InputSize;
            return new InferenceTiming(m.Name, m.Provider, w, h, runs, Percentile(sorted, 0.5), Percentile(sorted, 0.95), sorted.Average());
        }).ToList();
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
