using StreamMatte.Models;
using StreamMatte.Models.Adapters;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Evaluation;
using StreamMatte.Pipeline.Video;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.People;

/// <summary>Our committed instance network through its adapter, and the people metrics.</summary>
public class InstanceModelTests
{
    private static readonly SessionSettings Cpu = new() { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 };

    [Fact]
    public void The_instance_network_is_recognised_and_its_people_add_up_to_its_matte()
    {
        using var model = ModelCatalog.Open("stream_matte_instances_r18x05", Cpu);
        Assert.Equal(InstanceMattingModel.FamilyName, model.Family);
        Assert.True(model.Capabilities.HasFlag(ModelCapabilities.Instances));
        var picture = VideoReader.LoadImage(SharedAssets.RequireData("seg/coco_person/images/000000000036.jpg"), (512, 384));
        var output = model.Process(picture);
        Assert.Equal((384, 288), model.InputSize);                     // long side 384, multiples of 32
        Assert.Equal((96, 72), (output.Alpha.Width, output.Alpha.Height));
        Assert.InRange(output.InstanceCount, 0, ((InstanceMattingModel)model).Queries);
        for (int k = 1; k < output.InstanceCount; k++) Assert.True(output.Instances[k - 1].Score >= output.Instances[k].Score, "best first");
        for (int i = 0; i < output.Alpha.Data.Length; i++)
        {
            float sum = 0;
            foreach (var person in output.Instances)
            {
                Assert.InRange(person.Mask.Data[i], 0f, 1f);
                sum += person.Mask.Data[i];
            }
            Assert.Equal(Math.Min(1f, sum), output.Alpha.Data[i], 4);
        }
    }

    [Fact]
    public void People_are_matched_one_to_one_best_overlap_first()
    {
        bool[] Box(int x0, int x1) => Enumerable.Range(0, 10).Select(i => i >= x0 && i < x1).ToArray();
        var truth = new[] { Box(0, 4), Box(5, 10) };
        // One prediction overlaps both people; the better match wins it, the other person keeps their own.
        var predicted = new[] { Box(0, 5), Box(6, 10), Box(0, 3) };
        var ious = PeopleEvaluator.Match(truth, predicted);
        Assert.Equal(0.8, ious[0], 6);     // Box(0,5) vs Box(0,4): 4/5
        Assert.Equal(0.8, ious[1], 6);     // Box(6,10) vs Box(5,10): 4/5
        Assert.Equal([0.0], PeopleEvaluator.Match([Box(0, 2)], [Box(5, 8)]));
    }
}
