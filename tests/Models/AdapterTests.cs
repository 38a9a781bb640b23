using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Adapters;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Video;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Models;

/// <summary>Each adapter on real photos with real person labels, and RVM on real video.</summary>
public class AdapterTests
{
    private static readonly SessionSettings Cpu = new() { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 };

    /// <summary>A few single-person photos with their (remove.bg) person masks, decoded at 480 px wide.</summary>
    private static IEnumerable<(RgbImage Photo, RgbImage Label)> PersonPhotos(int count)
    {
        string dir = SharedAssets.RequireData("seg/person_masks");
        foreach (var image in Directory.GetFiles(Path.Combine(dir, "images")).Order().Take(count))
        {
            string mask = Path.Combine(dir, "masks", Path.GetFileNameWithoutExtension(image) + ".png");
            var info = MediaInfo.Probe(image);
            var size = (480, (int)Math.Round(480.0 * info.Height / info.Width / 2) * 2);
            yield return (VideoReader.LoadImage(image, size), VideoReader.LoadImage(mask, size));
        }
    }

    private static double MeanIoU(IMattingModel model, int photos = 6) =>
        PersonPhotos(photos).Select(p => Masks.IoU(model.Process(p.Photo).Alpha, p.Label)).Average();

    [Theory]
    [InlineData("rvm_mobilenetv3_fp32.onnx", 0.85)]
    [InlineData("pphumanseg_lite_224x398.onnx", 0.80)]
    [InlineData("selfie_segmentation_256.onnx", 0.80)]
    [InlineData("meet_segmentation_144x256.onnx", 0.75)]
    [InlineData("sinet_320.onnx", 0.70)]
    public void Each_adapter_finds_the_person_in_real_photos(string model, double minimumIoU)
    {
        using var m = ModelCatalog.Open(SharedAssets.RequireModel(model), Cpu);
        double iou = MeanIoU(m);
        Assert.True(iou >= minimumIoU, $"{model}: mean IoU {iou:F3} against the person masks, expected ≥ {minimumIoU}");
    }

    [Fact]
    public void Yolo_separates_the_people_of_a_group_photo()
    {
        string dir = SharedAssets.RequireData("seg/coco_person");
        using var model = (YoloV8SegModel)ModelCatalog.Open(SharedAssets.RequireModel("yolov8n_seg_320_fp32.onnx"), Cpu);
        long intersection = 0, union = 0;
        int matchedPeople = 0, labelledPeople = 0;
        foreach (var image in Directory.GetFiles(Path.Combine(dir, "images")).Order().Take(8))
        {
            string stem = Path.GetFileNameWithoutExtension(image);
            var photo = VideoReader.LoadImage(image);
            var binary = VideoReader.LoadImage(Path.Combine(dir, "masks_binary", stem + ".png"));
            var output = model.Process(photo);
            var (i, u) = Masks.Overlap(output.Alpha, binary);
            intersection += i;
            union += u;
            labelledPeople += CountInstances(VideoReader.LoadImage(Path.Combine(dir, "masks_instance", stem + ".png")));
            matchedPeople += output.InstanceCount;
            foreach (var person in output.Instances)
            {
                Assert.InRange(person.Score, model.ScoreThreshold, 1f);
                Assert.InRange(person.Box.X + person.Box.Width / 2, 0, photo.Width);
                Assert.InRange(person.Box.Y + person.Box.Height / 2, 0, photo.Height);
            }
        }
        // Pooled over pixels: the photos whose only people are a few hundred pixels weigh what they are.
        double iou = (double)intersection / union;
        Assert.True(iou >= 0.75, $"pooled IoU of the union mask {iou:F3}");
        Assert.True(matchedPeople >= labelledPeople / 3, $"{matchedPeople} people found, {labelledPeople} labelled");
    }

    private static int CountInstances(RgbImage instanceMask) =>
        Enumerable.Range(0, instanceMask.Width * instanceMask.Height).Select(i => instanceMask.Pixels[i * 3]).Where(v => v > 0).Distinct().Count();

    /// <summary>The first frames of the video-call clip, downscaled for test speed.</summary>
    private static RgbImage[] TalkingHeadFrames(int count)
    {
        using var reader = new VideoReader(SharedAssets.RequireData("videos/talking_head_1080p.mp4"), (640, 360), count);
        var frames = new RgbImage[count];
        for (int i = 0; i < count; i++)
        {
            frames[i] = new RgbImage(640, 360);
            Assert.True(reader.ReadFrame(frames[i]));
        }
        return frames;
    }

    [Fact]
    public void Rvm_mattes_the_person_in_the_video_call_clip_and_carries_its_state()
    {
        var frames = TalkingHeadFrames(3);
        using var rvm = (RobustVideoMattingModel)ModelCatalog.Open(SharedAssets.RequireModel("rvm_mobilenetv3_fp32.onnx"), Cpu);
        Assert.Equal(ModelCapabilities.Alpha | ModelCapabilities.Foreground | ModelCapabilities.Recurrent, rvm.Capabilities);
        // Reference person region: an independent segmentation network on the same frame.
        using var reference = ModelCatalog.Open(SharedAssets.RequireModel("pphumanseg_lite_224x398.onnx"), Cpu);
        var referenceAlpha = reference.Process(frames[2]).Alpha;

        // With state: frames 0, 1, 2 through alternating slots (double buffering).
        rvm.Configure(640, 360);
        Assert.Equal(512f / 640, rvm.DownsampleRatio);
        for (int i = 0; i < 3; i++) { rvm.Prepare(frames[i], i % 2); rvm.Infer(i % 2); }
        var withState = Copy(rvm.Read(0).Alpha);
        Assert.Equal(640, withState.Width);
        Assert.True(Masks.IoU(withState, referenceAlpha) >= 0.85, $"IoU {Masks.IoU(withState, referenceAlpha):F3}");

        // The same frames all through slot 0 give the same answer: the state crosses between bindings correctly.
        rvm.ResetState();
        for (int i = 0; i < 3; i++) rvm.Process(frames[i]);
        Assert.True(Masks.MeanAbsDifference(withState, rvm.Read(0).Alpha) < 1e-6);

        // Without state (reset before frame 2): a different answer, so the state really is carried.
        rvm.ResetState();
        var stateless = rvm.Process(frames[2]).Alpha;
        Assert.True(Masks.MeanAbsDifference(withState, stateless) > 1e-4, "the recurrent state made no difference");
    }

    [Fact]
    public void Rvm_zero_state_equals_the_models_own_initial_state()
    {
        var frame = TalkingHeadFrames(1)[0];
        using var session = OrtSession.Open(SharedAssets.RequireModel("rvm_mobilenetv3_fp32.onnx"), Cpu);
        var src = new PinnedTensor<float>([1, 3, 360, 640]);
        new TensorResampler(640, 360, 640, 360, TensorLayout.Nchw, ChannelOrder.Rgb, PixelNormalization.ZeroToOne).Fill(frame, src.Span);
        var inputs = session.Inputs.Select(i => i.Name switch
        {
            "src" => (PinnedTensor)src,
            "downsample_ratio" => new PinnedTensor<float>([RobustVideoMattingModel.RatioFor(640, 360)], [1]),
            _ => new PinnedTensor<float>([1, 1, 1, 1]),
        }).ToArray();
        var official = session.RunAndCopy(inputs).Single(o => o.Name == "pha").Data;
        foreach (var t in inputs) t.Dispose();

        using var rvm = new RobustVideoMattingModel(OrtSession.Open(SharedAssets.RequireModel("rvm_mobilenetv3_fp32.onnx"), Cpu));
        var ours = rvm.Process(frame).Alpha.Data;
        Assert.Equal(official.Length, ours.Length);
        Assert.True(official.Zip(ours).Max(p => Math.Abs(p.First - p.Second)) < 1e-5);
    }

    private static FloatPlane Copy(FloatPlane p)
    {
        var c = new FloatPlane(p.Width, p.Height);
        p.Data.AsSpan(0, p.Width * p.Height).CopyTo(c.Data);
        return c;
    }
}
