using System.Diagnostics;
using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline.Evaluation;

/// <summary>How well a model separates people, on real photos with one hand-drawn mask per person.</summary>
public sealed record PeopleScores(string Model, string Family)
{
    public int Images { get; set; }
    public int People { get; set; }
    public int Predicted { get; set; }
    /// <summary>Paper 003's REC_TH = matched at IoU > TH / people, ACC_TH = matched at IoU > TH / predicted.</summary>
    public double Recall50 { get; set; } = double.NaN;
    public double Precision50 { get; set; } = double.NaN;
    public double Recall75 { get; set; } = double.NaN;
    public double Precision75 { get; set; } = double.NaN;
    /// <summary>Mean over the real people of the IoU with the prediction matched to them (0 when none is).</summary>
    public double MeanIou { get; set; } = double.NaN;
    public double InferP50Ms { get; set; } = double.NaN;
}

/// <summary>Which coco_person photos to measure on.</summary>
public enum CocoPersonPhotos
{
    /// <summary>The test half: even places in name order. Our instance network trains on the other half.</summary>
    Test,
    /// <summary>All of them (for models that never saw any, e.g. to compare with earlier figures).</summary>
    All,
}

/// <summary>
/// Scores instance models on ../shared/data/seg/coco_person (COCO photos, masks_instance: 0 background, 1..N one per
/// person). Each photo is shrunk to the working size, each predicted person's mask is brought to the label's size
/// and taken at 0.5, and predictions are matched one-to-one to people by IoU, best pairs first (the digest's
/// reading of paper 003's metrics). By default only the test half is used: training/instance_data.py
/// (coco_person_split) trains on the odd places in name order, so the two must keep the same rule.
/// </summary>
public sealed class PeopleEvaluator(string dataDir, int longSide = 512, Action<string>? progress = null, CocoPersonPhotos photoSet = CocoPersonPhotos.Test)
{
    /// <summary>The photos with per-person masks, in name order, of the chosen set.</summary>
    public static IReadOnlyList<(string Image, string Mask)> Photos(string dataDir, CocoPersonPhotos set)
    {
        string images = Path.Combine(dataDir, "seg", "coco_person", "images");
        if (!Directory.Exists(images)) throw new DirectoryNotFoundException($"{images} does not exist (give --data, e.g. ../shared/data)");
        var photos = Directory.GetFiles(images, "*.jpg").Order(StringComparer.Ordinal)
            .Select(p => (Image: p, Mask: Path.Combine(dataDir, "seg", "coco_person", "masks_instance", Path.GetFileNameWithoutExtension(p) + ".png")))
            .Where(p => File.Exists(p.Mask)).ToList();
        if (photos.Count == 0) throw new FileNotFoundException($"no photos with per-person masks in {images}");
        return set == CocoPersonPhotos.All ? photos : photos.Where((_, i) => i % 2 == 0).ToList();
    }

    private readonly MatteResampler _resampler = new();

    public IReadOnlyList<PeopleScores> Run(IReadOnlyList<IMattingModel> models)
    {
        var photos = Photos(dataDir, photoSet);
        var scores = models.Select(m => new PeopleScores(m.Name, m.Family)).ToList();
        var counts = models.Select(_ => new double[5]).ToList();   // matched@0.5, matched@0.75, Σ IoU, predicted, people
        var times = models.Select(_ => new List<double>()).ToList();
        for (int i = 0; i < photos.Count; i++)
        {
            progress?.Invoke($"photo {i + 1}/{photos.Count} {Path.GetFileName(photos[i].Image)}");
            var truth = LoadInstances(photos[i].Mask, out int w, out int h);
            var picture = Evaluator.LoadPicture(photos[i].Image, longSide);
            for (int m = 0; m < models.Count; m++)
            {
                long start = Stopwatch.GetTimestamp();
                var output = models[m].Process(picture);
                times[m].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                var predicted = new List<bool[]>();
                foreach (var person in output.Instances)
                {
                    var atLabel = new FloatPlane(w, h);
                    _resampler.Resample(person.Mask, atLabel);
                    predicted.Add(atLabel.Data.Select(v => v > 0.5f).ToArray());
                }
                var ious = Match(truth, predicted);
                counts[m][0] += ious.Count(v => v > 0.5);
                counts[m][1] += ious.Count(v => v > 0.75);
                counts[m][2] += ious.Sum();
                counts[m][3] += predicted.Count;
                counts[m][4] += truth.Count;
            }
        }
        for (int m = 0; m < models.Count; m++)
        {
            var c = counts[m];
            var s = scores[m];
            s.Images = photos.Count;
            s.People = (int)c[4];
            s.Predicted = (int)c[3];
            s.Recall50 = c[0] / c[4];
            s.Recall75 = c[1] / c[4];
            s.Precision50 = c[3] > 0 ? c[0] / c[3] : 0;
            s.Precision75 = c[3] > 0 ? c[1] / c[3] : 0;
            s.MeanIou = c[2] / c[4];
            var sorted = times[m].Order().ToList();
            s.InferP50Ms = sorted[sorted.Count / 2];
        }
        return scores;
    }

    /// <summary>One-to-one matching, highest IoU first; returns each real person's IoU with their match (0 if none).</summary>
    public static double[] Match(IReadOnlyList<bool[]> truth, IReadOnlyList<bool[]> predicted) =>
        MaskMatching.OneToOne(truth, predicted).Select(m => m.Iou).ToArray();

    private static List<bool[]> LoadInstances(string path, out int width, out int height)
    {
        var ids = VideoReader.LoadImage(path);   // native size: ids must not be interpolated
        (width, height) = (ids.Width, ids.Height);
        int n = width * height;
        var people = new Dictionary<byte, bool[]>();
        for (int i = 0; i < n; i++)
        {
            byte id = ids.Pixels[3 * i];
            if (id == 0) continue;
            if (!people.TryGetValue(id, out var mask)) people[id] = mask = new bool[n];
            mask[i] = true;
        }
        return people.OrderBy(p => p.Key).Select(p => p.Value).ToList();
    }
}
