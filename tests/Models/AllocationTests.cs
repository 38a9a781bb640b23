using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Onnx;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Models;

/// <summary>Once configured, running frames allocates nothing on the managed heap (no GC pressure per frame).</summary>
public class AllocationTests
{
    [Theory]
    [InlineData("selfie_segmentation_256.onnx")]
    [InlineData("rvm_mobilenetv3_fp32.onnx")]
    [InlineData("yolov8n_seg_320_fp32.onnx")]
    public void Prepare_Infer_Read_allocate_nothing_per_frame(string model)
    {
        using var m = ModelCatalog.Open(SharedAssets.RequireModel(model), new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 });
        var frame = new RgbImage(160, 96);
        new Random(3).NextBytes(frame.Pixels);
        m.Configure(frame.Width, frame.Height);
        for (int slot = 0; slot < 2; slot++) { m.Prepare(frame, slot); m.Infer(slot); m.Read(slot); } // warm both slots

        Assert.Equal(0, Allocations.FewestBytes(() =>
        {
            for (int i = 0; i < 4; i++)
            {
                m.Prepare(frame, i % 2);
                m.Infer(i % 2);
                m.Read(i % 2);
            }
        }));
    }
}
