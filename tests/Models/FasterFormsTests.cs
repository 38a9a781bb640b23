using StreamMatte.Models;

namespace StreamMatte.Tests.Models;

/// <summary>Live mode's default form of a model is chosen on committed `stream-matte eval` figures, by a stated rule.</summary>
public class FasterFormsTests
{
    private static readonly FasterForms.Figures Full = new("net.onnx", 0.7925, 0.4889, 0.000596, 126.4);

    [Fact]
    public void A_faster_form_within_the_quality_limits_is_accepted()
    {
        Assert.Null(FasterForms.Refusal(Full, Full with { Model = "net_int8.onnx", IouPersonMasks = 0.7897, IouCocoPerson = 0.4873, Flicker = 0.000600, InferP50Ms = 105.1 }));
    }

    [Theory]
    [InlineData(0.780, 0.4889, 0.000596, 100.0, "person_masks IoU")]   // 0.0125 IoU lost
    [InlineData(0.7925, 0.470, 0.000596, 100.0, "coco_person IoU")]
    [InlineData(0.7925, 0.4889, 0.000700, 100.0, "flicker")]           // 17 % more flicker
    [InlineData(0.7925, 0.4889, 0.000596, 130.0, "not faster")]
    public void A_form_that_loses_quality_or_is_not_faster_is_refused(double iou, double coco, double flicker, double ms, string why)
    {
        var refusal = FasterForms.Refusal(Full, new FasterForms.Figures("net_int8.onnx", iou, coco, flicker, ms));
        Assert.NotNull(refusal);
        Assert.Contains(why, refusal);
    }

    [Fact]
    public void On_the_committed_eval_figures_live_mode_takes_the_int8_form_only_if_it_keeps_quality()
    {
        var entries = ModelCatalog.Discover(modelsDir: null);
        var student = entries.Single(e => e.Name == "stream_matte_student_r18x05.onnx");
        string figuresPath = FasterForms.FiguresPath(student.Path);
        Assert.True(File.Exists(figuresPath), "models/stream_matte_student_r18x05.eval.json (the eval run's figures) is missing");
        var figures = FasterForms.ReadFigures(figuresPath);
        var full = figures.Single(f => f.Model == "stream_matte_student_r18x05.onnx");
        var int8 = figures.Single(f => f.Model == "stream_matte_student_r18x05_int8.onnx");

        var choice = FasterForms.ForLive(student, entries);

        // The ImageNet-initialised student's int8 form loses 0.025 IoU (issue 22's eval run): live keeps fp32.
        Assert.NotNull(FasterForms.Refusal(full, int8));
        Assert.True(full.IouPersonMasks - int8.IouPersonMasks > FasterForms.MaxIouLoss);
        Assert.Null(choice);
    }
}
