using StreamMatte.Models;
using StreamMatte.Models.Adapters;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Models;

/// <summary>Models that do not fit their adapter are refused with a message that shows the model's I/O.</summary>
public class ModelContractTests
{
    private static readonly SessionSettings Cpu = new() { Device = ExecutionDevice.Cpu };

    private static string WriteTemp(string name, byte[] model)
    {
        string dir = Path.Combine(Path.GetTempPath(), "stream-matte-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, model);
        return path;
    }

    private static byte[] Identity(params object[] dims) =>
        new OnnxModelBuilder().Input("x", dims).Output("y", dims).Node("Identity", ["x"], ["y"]).Build();

    [Fact]
    public void A_model_named_like_RVM_without_its_inputs_is_refused()
    {
        string path = WriteTemp("rvm_impostor.onnx", Identity(1, 3, 64, 64));
        var e = Assert.Throws<ModelContractException>(() => ModelCatalog.Open(path, Cpu));
        Assert.Contains("does not fit the Robust Video Matting adapter", e.Message);
        Assert.Contains("x: float32[1,3,64,64]", e.Message);
    }

    [Fact]
    public void A_selfie_model_of_the_wrong_input_size_is_refused()
    {
        string path = WriteTemp("selfie_segmentation_wrong.onnx", Identity(1, 128, 128, 3));
        var e = Assert.Throws<ModelContractException>(() => ModelCatalog.Open(path, Cpu));
        Assert.Contains("does not fit the MediaPipe selfie segmentation adapter", e.Message);
        Assert.Contains("[1,256,256,3]", e.Message);
    }

    [Fact]
    public void An_unknown_network_is_refused_naming_the_known_families()
    {
        string path = WriteTemp("mystery.onnx", Identity(1, 4));
        var e = Assert.Throws<ModelContractException>(() => ModelCatalog.Open(path, Cpu));
        Assert.Contains("not a model stream-matte can run", e.Message);
        Assert.Contains(RobustVideoMattingModel.FamilyName, e.Message);
    }

    [Fact]
    public void A_missing_model_name_says_where_it_looked()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelCatalog.Open("no_such_model", Cpu));
        Assert.Contains("no_such_model", e.Message);
        Assert.Contains("--models-dir", e.Message);
    }

    [Fact]
    public void Discovery_lists_the_third_party_models_with_their_io_and_adapters()
    {
        var entries = ModelCatalog.Discover(SharedAssets.ModelsDir);
        var rvm = entries.Single(e => e.Name == "rvm_mobilenetv3_fp32.onnx");
        Assert.Equal(RobustVideoMattingModel.FamilyName, rvm.Family);
        Assert.True(rvm.IsUsable);
        Assert.Contains(rvm.Inputs, i => i.Name == "r1i");
        Assert.Equal(YoloV8SegModel.FamilyName, entries.Single(e => e.Name.StartsWith("yolov8n_seg")).Family);
        var yolox = entries.Single(e => e.Name.StartsWith("yolox"));
        Assert.False(yolox.IsUsable);
        // The best measured model wins: RVM when it is there; our committed student when it is the only one (a fresh clone).
        Assert.Equal(RobustVideoMattingModel.FamilyName, ModelCatalog.DefaultModel(SharedAssets.ModelsDir)?.Family);
        var ours = ModelCatalog.DefaultAmong(entries.Where(e => e.IsOurs).ToList());
        Assert.True(ours is { IsOurs: true }, ours?.Name);
        Assert.Equal(ModelCatalog.StudentFamily, ours!.Family);
        Assert.Equal(ours.Name, ModelCatalog.DefaultModel(null)?.Name);
    }

    [Fact]
    public void The_student_runs_at_the_working_size_rounded_to_32_and_finds_the_person()
    {
        using var model = ModelCatalog.Open("stream_matte_student_r18x05", Cpu);
        Assert.Equal(ModelCatalog.StudentFamily, model.Family);
        Assert.True(model.Capabilities.HasFlag(ModelCapabilities.Alpha) && !model.Capabilities.HasFlag(ModelCapabilities.Segmentation));
        model.Configure(512, 288);
        Assert.Equal((512, 288), model.InputSize);
        model.Configure(500, 282);
        Assert.Equal((512, 288), model.InputSize);   // each side to the nearest multiple of 32
        // A real held-out photo: the matte covers the hand-checked person mask far better than chance.
        var image = StreamMatte.Pipeline.Video.VideoReader.LoadImage(SharedAssets.RequireData("seg/person_masks/images/1.jpg"), (276, 182));
        var mask = StreamMatte.Pipeline.Video.VideoReader.LoadImage(SharedAssets.RequireData("seg/person_masks/masks/1.png"), (276, 182));
        var alpha = model.Process(image).Alpha;
        var atMask = new StreamMatte.Imaging.FloatPlane(276, 182);
        new StreamMatte.Pipeline.Compositing.MatteResampler().Resample(alpha, atMask);
        var maskPlane = new StreamMatte.Imaging.FloatPlane(276, 182);
        for (int i = 0; i < maskPlane.Data.Length; i++) maskPlane.Data[i] = mask.Pixels[3 * i] / 255f;
        Assert.InRange(StreamMatte.Pipeline.Evaluation.MatteMetrics.Iou(atMask, maskPlane), 0.5, 1.0);
    }

    [Fact]
    public void Configure_is_required_and_slots_are_checked()
    {
        using var model = ModelCatalog.Open(SharedAssets.RequireModel("selfie_segmentation_256.onnx"), Cpu);
        Assert.Throws<InvalidOperationException>(() => model.Infer(0));
        model.Configure(64, 48);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Infer(2));
        Assert.Throws<InvalidOperationException>(() => model.Prepare(new StreamMatte.Imaging.RgbImage(32, 32), 0));
    }
}
