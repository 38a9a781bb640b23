using StreamMatte.Models.Onnx;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Training;

/// <summary>
/// The PyTorch port of ML.NET's ImageNet ResNet-18 (training/imagenet/resnet18_cntk.py) against ONNX Runtime running
/// the package's own two graphs (ResNetPreprocess.onnx, then ResNet18.onnx) on real pictures: the port is what the
/// student's encoder is initialised from, so it must be the same network, not a near one.
/// </summary>
public class ImageNetConversionTests
{
    private static readonly SessionSettings Cpu = new() { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 };

    [Fact]
    public void The_pytorch_port_reproduces_onnx_runtime_on_real_pictures()
    {
        string imagenet = Path.Combine(SharedAssets.RepositoryRoot, "training", "cache", "imagenet");
        string net = Path.Combine(imagenet, "ResNet18.onnx"), prep = Path.Combine(imagenet, "ResNetPreprocess.onnx");
        Assert.True(File.Exists(net) && File.Exists(prep), $"{imagenet} lacks the ImageNet ResNet-18: run training/imagenet/fetch.sh (./setup.sh --tests does)");
        Python.RequireTorch();
        string[] pictures =
        [
            SharedAssets.RequireData("seg/person_masks/images/" + FirstJpg("seg/person_masks/images")),
            SharedAssets.RequireData("seg/coco_person/images/" + FirstJpg("seg/coco_person/images")),
            SharedAssets.RequireData("backgrounds/anilsathyan7/beach.jpg"),
        ];
        string dir = Tool.TempDir();
        var (code, output) = Python.Run(TimeSpan.FromMinutes(5), ["training/imagenet/reference_features.py", dir, .. pictures]);
        Assert.True(code == 0, "reference_features.py failed:\n" + output);

        using var preprocess = OrtSession.Open(prep, Cpu);
        using var network = OrtSession.Open(net, Cpu);
        for (int k = 0; k < pictures.Length; k++)
        {
            float[] rgb = ReadFloats(Path.Combine(dir, $"input_{k}.bin"));
            float[] ported = ReadFloats(Path.Combine(dir, $"features_{k}.bin"));
            using var input = new PinnedTensor<float>(rgb, [1, 3, 224, 224]);
            var prepared = preprocess.RunAndCopy([input])[0];
            using var networkInput = new PinnedTensor<float>(prepared.Data, [1, 3, 224, 224]);
            var features = network.RunAndCopy([networkInput])[0];
            Assert.Equal([1L, 512, 1, 1], features.Shape);
            Assert.Equal(512, ported.Length);
            float worst = 0, largest = 0;
            for (int i = 0; i < 512; i++)
            {
                worst = Math.Max(worst, Math.Abs(features.Data[i] - ported[i]));
                largest = Math.Max(largest, Math.Abs(features.Data[i]));
            }
            Assert.True(largest > 0.5f, $"{pictures[k]}: ONNX Runtime's features are all near zero ({largest}): not a real picture's answer");
            Assert.True(worst <= 1e-4f, $"{pictures[k]}: the port differs from ONNX Runtime by {worst} (at most 1e-4 allowed)");
        }
    }

    private static string FirstJpg(string relativeDir) =>
        Path.GetFileName(Directory.GetFiles(SharedAssets.RequireData(relativeDir), "*.jpg").Order(StringComparer.Ordinal).First());

    private static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
