using BenchmarkDotNet.Attributes;
using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.People;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Bench;

/// <summary>
/// Cost versus number of people (issue 6): pictures of 1, 2, 4 and 6 real people (photos of ../shared/data/seg/person_masks
/// cut out with their masks, side by side over a background, 512×288), through
/// <list type="bullet">
/// <item>our instance network (one pass, every person's matte),</item>
/// <item>the hybrid the pipeline runs (our student's matte + the instance network to split it),</item>
/// <item>the two-stage baseline (YOLOv8n-seg, then our student once per person crop at 192×256).</item>
/// </list>
/// CPU provider, 2 threads. Model calls only (prepare, infer, decode): no video decode, upsampling or compositing.
/// Run: dotnet run -c Release --project bench -- --filter '*PeopleCost*'
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]   // the check is on p50 (the median); ShortRun's 3 iterations were too few
public class PeopleCostBenchmarks
{
    [Params(1, 2, 4, 6)]
    public int People { get; set; }

    private IMattingModel _instances = null!, _student = null!, _detector = null!, _cropStudent = null!;
    private TwoStagePeople _twoStage = null!;
    private RgbImage _picture = null!;

    [GlobalSetup]
    public void Setup()
    {
        // No spinning: two sessions take turns here, and a spinning pool would eat the other one's cores (as in the pipeline).
        var settings = new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = 2, AllowSpinning = false };
        string shared = Paths.SharedModels();
        _instances = ModelCatalog.Open("stream_matte_instances_r18x05", settings, shared);
        _student = ModelCatalog.Open("stream_matte_student_r18x05", settings, shared);
        _cropStudent = ModelCatalog.Open("stream_matte_student_r18x05", settings, shared);
        _detector = ModelCatalog.Open("yolov8n_seg_320_fp32", settings, shared);
        _twoStage = new TwoStagePeople(_detector, _cropStudent);
        _picture = Composite(People, 512, 288);
        int found = _twoStage.Run(_picture);
        int ours = _instances.Process(_picture).InstanceCount;
        Console.WriteLine($"// {People} people pasted: YOLOv8n-seg finds {found}, our instance network {ours}");
    }

    /// <summary>Ours: the instance network alone, one pass for everyone.</summary>
    [Benchmark]
    public int Ours_InstanceNetwork() => _instances.Process(_picture).InstanceCount;

    /// <summary>Ours as the pipeline runs it: the student's matte plus the instance network to split it.</summary>
    [Benchmark]
    public int Ours_Hybrid_StudentPlusInstances()
    {
        _student.Process(_picture);
        return _instances.Process(_picture).InstanceCount;
    }

    /// <summary>The two-stage baseline: YOLOv8n-seg, then the student once per person crop.</summary>
    [Benchmark]
    public int Baseline_YoloThenStudentPerPerson() => _twoStage.Run(_picture);

    [GlobalCleanup]
    public void Cleanup()
    {
        _instances.Dispose();
        _student.Dispose();
        _cropStudent.Dispose();
        _detector.Dispose();
    }

    /// <summary>k people side by side, each scaled into a 1/k-wide column, feet on the bottom edge, over a background.</summary>
    internal static RgbImage Composite(int k, int width, int height)
    {
        string data = Paths.SharedData();
        string background = Directory.GetFiles(Path.Combine(data, "backgrounds"), "*.jpg", SearchOption.AllDirectories).Order().First();
        var picture = VideoReader.LoadImage(background, (width, height), cover: true);
        int column = width / k;
        var photos = Directory.GetFiles(Path.Combine(data, "seg", "person_masks", "images"), "*.jpg")
            .Where(p => File.Exists(MaskOf(p))).OrderBy(p => int.TryParse(Path.GetFileNameWithoutExtension(p), out int n) ? n : int.MaxValue).ToList();
        for (int i = 0; i < k; i++)
        {
            string photo = photos[i];
            string maskPath = MaskOf(photo);
            var info = MediaInfo.Probe(photo);
            double s = Math.Min((double)column / info.Width, (double)height / info.Height);
            int w = Math.Max(2, (int)(info.Width * s) & ~1), h = Math.Max(2, (int)(info.Height * s) & ~1);
            var person = VideoReader.LoadImage(photo, (w, h));
            var mask = VideoReader.LoadImage(maskPath, (w, h));
            int x0 = i * column + (column - w) / 2, y0 = height - h;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    float a = mask.Pixels[3 * (y * w + x)] / 255f;
                    int o = 3 * ((y0 + y) * width + x0 + x), p = 3 * (y * w + x);
                    for (int c = 0; c < 3; c++) picture.Pixels[o + c] = (byte)(picture.Pixels[o + c] * (1 - a) + person.Pixels[p + c] * a + 0.5f);
                }
        }
        return picture;
    }

    private static string MaskOf(string photo) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(photo))!, "masks", Path.GetFileNameWithoutExtension(photo) + ".png");
}
