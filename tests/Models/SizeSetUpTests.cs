using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Adapters;
using StreamMatte.Models.Onnx;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Models;

/// <summary>
/// Live mode's automatic size moves the network between the sizes of a ladder; each size's set-up (tensors, bindings,
/// resampler) is kept, so going back to a size allocates nothing and reuses what was made for it.
/// </summary>
public class SizeSetUpTests
{
    private static OnnxMattingModel Open(string path) =>
        (OnnxMattingModel)ModelCatalog.Open(path, new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 });

    private static string Student => Path.Combine(SharedAssets.RepositoryRoot, "models", "stream_matte_student_r18x05.onnx");

    private static float[] Run(OnnxMattingModel model, RgbImage frame)
    {
        model.Configure(frame.Width, frame.Height);
        model.Prepare(frame, 0);
        model.Infer(0);
        var alpha = model.Read(0).Alpha;
        return alpha.Data.AsSpan(0, alpha.Width * alpha.Height).ToArray();
    }

    private static RgbImage Picture(int width, int height, int seed)
    {
        var frame = new RgbImage(width, height);
        new Random(seed).NextBytes(frame.Pixels);
        return frame;
    }

    [Fact]
    public void Going_back_to_a_size_seen_before_reuses_its_set_up_and_allocates_nothing()
    {
        using var model = Open(Student);
        var large = Picture(512, 288, 1);
        var small = Picture(384, 216, 2);
        var firstAtLarge = Run(model, large);
        var output = model.Read(0);
        Run(model, small);

        long allocated = Allocations.FewestBytes(() =>
        {
            model.Configure(512, 288);
            model.Configure(384, 216);
            model.Configure(512, 288);
        });

        Assert.Equal(0, allocated);
        Assert.Same(output, model.Read(0));
        Assert.Equal(2, model.KeptSizes);
        Assert.Equal((512, 288), model.InputSize);
        Assert.Equal(firstAtLarge, Run(model, large));   // the kept set-up still gives the same answer
    }

    [Fact]
    public void A_recurrent_models_state_starts_afresh_when_its_size_comes_back()
    {
        using var model = Open(SharedAssets.RequireModel("rvm_mobilenetv3_fp32.onnx"));
        var frame = Picture(160, 96, 3);
        var fresh = Run(model, frame);
        for (int i = 0; i < 3; i++) Run(model, Picture(160, 96, 10 + i));   // builds up state at this size
        Run(model, Picture(128, 72, 4));

        Assert.Equal(fresh, Run(model, frame));   // back at 160x96: the state of three frames ago is not carried over
    }
}
