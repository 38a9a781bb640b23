using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline.Evaluation;

/// <summary>Which photos count: all of them, or the held-out fifth (every 5th, sorted by name) that training never sees.</summary>
public enum EvalSplit { HeldOut, All }

public sealed record EvalOptions
{
    /// <summary>../shared/data: seg/person_masks, seg/coco_person, backgrounds, videos.</summary>
    public required string DataDir { get; init; }
    public EvalSplit Split { get; init; } = EvalSplit.HeldOut;
    /// <summary>Long side of the picture the models see (as the pipeline's --model-size).</summary>
    public int LongSide { get; init; } = 512;
    /// <summary>Frames per video for flicker (0 skips the videos).</summary>
    public int VideoFrames { get; init; } = 60;
    /// <summary>Timed runs per model for the side-by-side speed (0 skips it).</summary>
    public int SpeedRuns { get; init; } = 30;
    /// <summary>Network input for the speed comparison.</summary>
    public (int Width, int Height) SpeedSize { get; init; } = (512, 288);
    public Action<string>? Progress { get; init; }
}

/// <summary>One model's scores; NaN where a part was skipped or had no data.</summary>
public sealed record ModelScores(string Model, string Family)
{
    public double IouPersonMasks { get; set; } = double.NaN;
    public double IouCocoPerson { get; set; } = double.NaN;
    public int SegImages { get; set; }
    public double CompositeMse { get; set; } = double.NaN;
    public double CompositeSad { get; set; } = double.NaN;
    public double CompositeGradient { get; set; } = double.NaN;
    public double CompositeConnectivity { get; set; } = double.NaN;
    public double CompositeBoundaryMse { get; set; } = double.NaN;
    public int Composites { get; set; }
    public double TeacherMse { get; set; } = double.NaN;
    public double Flicker { get; set; } = double.NaN;
    public int FlickerVideos { get; set; }
    public double InferP50Ms { get; set; } = double.NaN;
    public double InferP95Ms { get; set; } = double.NaN;
}

/// <summary>
/// Measures shipped ONNX models the way the product runs them (issue 5): person IoU on the real masks, matting
/// errors on composites whose alpha is exact, agreement with the teacher, flicker through the real pipeline (with
/// its smoothing) and inference speed measured side by side in one run.
/// Composites: the teacher's own foreground and alpha for each photo, laid over a person-free background; the
/// teacher is therefore favoured on them (it re-finds its own edges), which the report must say.
/// </summary>
public sealed class Evaluator(EvalOptions options)
{
    private readonly MatteResampler _resampler = new();

    public IReadOnlyList<ModelScores> Run(IReadOnlyList<IMattingModel> models, IMattingModel teacher)
    {
        var scores = models.Select(m => new ModelScores(m.Name, m.Family)).ToList();
        var photos = Photos("person_masks", "masks").Concat(Photos("coco_person", "masks_binary")).ToList();
        if (photos.Count == 0) throw new DirectoryNotFoundException($"no photos with masks under {options.DataDir}/seg (person_masks, coco_person)");
        var backgrounds = Directory.GetFiles(Path.Combine(options.DataDir, "backgrounds"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order().ToList();

        var iou = models.Select(_ => new Dictionary<string, List<double>>()).ToList();
        var comp = models.Select(_ => new double[5]).ToList();
        var teacherMse = new double[models.Count];
        int composites = 0;
        for (int p = 0; p < photos.Count; p++)
        {
            var (set, imagePath, maskPath) = photos[p];
            options.Progress?.Invoke($"photo {p + 1}/{photos.Count} {Path.GetFileName(imagePath)}");
            var image = LoadWorking(imagePath);
            var mask = LoadMask(maskPath);
            var teacherAlpha = Alpha(teacher, image, image.Width, image.Height);
            var teacherOut = teacher.Read(0);

            // The composite: the teacher's foreground and alpha over a background; its alpha is exact.
            RgbImage? composite = null;
            if (set == "person_masks" && backgrounds.Count > 0 && teacherOut.Foreground is { } fg)
            {
                var background = VideoReader.LoadImage(backgrounds[p % backgrounds.Count], (image.Width, image.Height), cover: true);
                composite = Composite(fg, teacherAlpha, background);
                composites++;
            }
            for (int m = 0; m < models.Count; m++)
            {
                var alpha = Alpha(models[m], image, image.Width, image.Height);
                teacherMse[m] += MatteMetrics.Mse(alpha, teacherAlpha);
                var atMask = new FloatPlane(mask.Width, mask.Height);
                _resampler.Resample(alpha, atMask);
                (iou[m].TryGetValue(set, out var list) ? list : iou[m][set] = []).Add(MatteMetrics.Iou(atMask, mask));
                if (composite != null)
                {
                    var predicted = Alpha(models[m], composite, image.Width, image.Height);
                    comp[m][0] += MatteMetrics.Mse(predicted, teacherAlpha);
                    comp[m][1] += MatteMetrics.Sad(predicted, teacherAlpha);
                    comp[m][2] += MatteMetrics.Gradient(predicted, teacherAlpha);
                    comp[m][3] += MatteMetrics.Connectivity(predicted, teacherAlpha);
                    double b = MatteMetrics.BoundaryMse(predicted, teacherAlpha);
                    comp[m][4] += double.IsNaN(b) ? 0 : b;
                }
            }
        }
        for (int m = 0; m < models.Count; m++)
        {
            var s = scores[m];
            s.SegImages = photos.Count;
            s.IouPersonMasks = iou[m].TryGetValue("person_masks", out var a) ? a.Average() : double.NaN;
            s.IouCocoPerson = iou[m].TryGetValue("coco_person", out var c) ? c.Average() : double.NaN;
            s.TeacherMse = teacherMse[m] / photos.Count;
            if (composites > 0)
            {
                s.Composites = composites;
                (s.CompositeMse, s.CompositeSad, s.CompositeGradient, s.CompositeConnectivity, s.CompositeBoundaryMse) =
                    (comp[m][0] / composites, comp[m][1] / composites, comp[m][2] / composites, comp[m][3] / composites, comp[m][4] / composites);
            }
        }
        if (options.VideoFrames > 0) MeasureFlicker(models, scores);
        if (options.SpeedRuns > 0) MeasureSpeed(models, scores);
        return scores;
    }

    private IEnumerable<(string Set, string Image, string Mask)> Photos(string set, string maskDir)
    {
        string dir = Path.Combine(options.DataDir, "seg", set);
        if (!Directory.Exists(dir)) yield break;
        var images = Directory.GetFiles(Path.Combine(dir, "images"), "*.jpg").Order(StringComparer.Ordinal).ToList();
        for (int i = 0; i < images.Count; i++)
        {
            // The same rule as training/data.py: every 5th photo (sorted by name) is held out.
            if (options.Split == EvalSplit.HeldOut && i % 5 != 0) continue;
            string mask = Path.Combine(dir, maskDir, Path.GetFileNameWithoutExtension(images[i]) + ".png");
            if (File.Exists(mask)) yield return (set, images[i], mask);
        }
    }

    private RgbImage LoadWorking(string path) => LoadPicture(path, options.LongSide);

    /// <summary>A photo shrunk (never enlarged) so its long side is <paramref name="longSide"/>, both sides even: the pipeline's working picture.</summary>
    internal static RgbImage LoadPicture(string path, int longSide)
    {
        var info = MediaInfo.Probe(path);
        double s = Math.Min(1.0, (double)longSide / Math.Max(info.Width, info.Height));
        int w = Math.Max(2, (int)Math.Round(info.Width * s / 2) * 2), h = Math.Max(2, (int)Math.Round(info.Height * s / 2) * 2);
        return VideoReader.LoadImage(path, (w, h));
    }

    private static FloatPlane LoadMask(string path)
    {
        var rgb = VideoReader.LoadImage(path);
        var plane = new FloatPlane(rgb.Width, rgb.Height);
        for (int i = 0; i < plane.Data.Length; i++) plane.Data[i] = rgb.Pixels[3 * i] / 255f;
        return plane;
    }

    /// <summary>The model's α for a still picture, brought to width × height (recurrent state reset first).</summary>
    private FloatPlane Alpha(IMattingModel model, RgbImage image, int width, int height)
    {
        model.ResetState();
        var output = model.Process(image);
        var alpha = new FloatPlane(width, height);
        _resampler.Resample(output.Alpha, alpha);
        return alpha;
    }

    private RgbImage Composite(FloatPlane[] foreground, FloatPlane alpha, RgbImage background)
    {
        int w = background.Width, h = background.Height;
        var fg = foreground.Select(f => { var p = new FloatPlane(w, h); _resampler.Resample(f, p); return p; }).ToArray();
        var result = new RgbImage(w, h);
        for (int i = 0; i < w * h; i++)
        {
            float a = alpha.Data[i];
            for (int c = 0; c < 3; c++)
                result.Pixels[3 * i + c] = (byte)Math.Clamp(MathF.Round(a * fg[c].Data[i] * 255 + (1 - a) * background.Pixels[3 * i + c]), 0, 255);
        }
        return result;
    }

    private void MeasureFlicker(IReadOnlyList<IMattingModel> models, List<ModelScores> scores)
    {
        string dir = Path.Combine(options.DataDir, "videos");
        if (!Directory.Exists(dir)) return;
        var videos = Directory.GetFiles(dir).Where(f => f.EndsWith(".mp4") || f.EndsWith(".avi")).Order().ToList();
        for (int m = 0; m < models.Count; m++)
        {
            double sum = 0;
            int n = 0;
            foreach (var video in videos)
            {
                options.Progress?.Invoke($"flicker {models[m].Name} {Path.GetFileName(video)}");
                var info = MediaInfo.Probe(video);
                double s = Math.Min(1.0, 640.0 / Math.Max(info.Width, info.Height));
                var size = ((int)Math.Round(info.Width * s / 2) * 2, (int)Math.Round(info.Height * s / 2) * 2);
                var sink = new FlickerSink();
                models[m].ResetState();
                using (var source = new FileSource(video, size, maxFrames: options.VideoFrames))
                    new MattingPipeline(source, models[m], sink, new PipelineSettings { Mode = PipelineMode.Offline, InferenceLongSide = options.LongSide }).Run();
                if (double.IsNaN(sink.Meter.StaticFlicker)) continue;
                sum += sink.Meter.StaticFlicker;
                n++;
            }
            scores[m].Flicker = n > 0 ? sum / n : double.NaN;
            scores[m].FlickerVideos = n;
        }
    }

    /// <summary>Feeds each output frame's full-resolution α to a <see cref="FlickerMeter"/>.</summary>
    private sealed class FlickerSink : IFrameSink
    {
        public FlickerMeter Meter { get; } = new();
        private FloatImage? _luma;
        public string Description => "flicker meter";

        public void Write(Frame frame)
        {
            if (_luma is null || _luma.Width != frame.Image.Width || _luma.Height != frame.Image.Height)
                _luma = new FloatImage(frame.Image.Width, frame.Image.Height, 1);
            Luma.Extract(frame.Image, _luma);
            Meter.Add(frame.Alpha, _luma);
        }

        public void Complete() { }
        public void Dispose() { }
    }

    private void MeasureSpeed(IReadOnlyList<IMattingModel> models, List<ModelScores> scores)
    {
        var timings = InferenceTimer.Measure(models, options.SpeedSize.Width, options.SpeedSize.Height, options.SpeedRuns, progress: options.Progress);
        for (int m = 0; m < models.Count; m++)
            (scores[m].InferP50Ms, scores[m].InferP95Ms) = (timings[m].P50Ms, timings[m].P95Ms);
    }
}
