using StreamMatte.Imaging;
using StreamMatte.Pipeline.Evaluation;

namespace StreamMatte.Tests.Evaluation;

public class MatteMetricsTests
{
    private static FloatPlane Plane(int w, int h, Func<int, int, float> f)
    {
        var p = new FloatPlane(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) p[x, y] = f(x, y);
        return p;
    }

    /// <summary>A soft vertical edge at column <paramref name="edge"/>: 0 left, 1 right, a 4-pixel ramp.</summary>
    private static FloatPlane Edge(int w, int h, float edge) => Plane(w, h, (x, _) => Math.Clamp((x - edge) / 4f + 0.5f, 0, 1));

    [Fact]
    public void Mse_and_sad_are_the_mean_square_and_the_sum_in_thousands()
    {
        var half = Plane(40, 25, (_, _) => 0.5f);
        var zero = Plane(40, 25, (_, _) => 0f);
        Assert.Equal(0.25, MatteMetrics.Mse(half, zero), 9);
        Assert.Equal(40 * 25 * 0.5 / 1000, MatteMetrics.Sad(half, zero), 9);
        Assert.Equal(0, MatteMetrics.Mse(half, half));
    }

    [Fact]
    public void Boundary_mse_counts_only_the_references_soft_pixels()
    {
        var reference = Plane(10, 1, (x, _) => x < 4 ? 0f : x < 6 ? 0.5f : 1f);   // two soft pixels
        var predicted = Plane(10, 1, (x, _) => x < 4 ? 1f : x < 6 ? 0.7f : 0f);   // wrong everywhere, 0.2 off on the soft ones
        Assert.Equal(0.04, MatteMetrics.BoundaryMse(predicted, reference), 6);
        Assert.True(double.IsNaN(MatteMetrics.BoundaryMse(predicted, Plane(10, 1, (_, _) => 1f))));
    }

    [Fact]
    public void Iou_of_two_overlapping_rectangles()
    {
        var a = Plane(10, 10, (x, _) => x < 6 ? 0.9f : 0.1f);   // columns 0-5
        var b = Plane(10, 10, (x, _) => x >= 3 ? 1f : 0f);      // columns 3-9
        Assert.Equal(3.0 / 10, MatteMetrics.Iou(a, b), 9);
    }

    [Fact]
    public void Gradient_error_is_zero_for_the_same_edge_and_grows_with_its_displacement()
    {
        var reference = Edge(64, 32, 30);
        Assert.Equal(0, MatteMetrics.Gradient(reference, reference), 9);
        // A constant offset keeps the gradients (inside the image) and so costs almost nothing.
        var offset = Plane(64, 32, (x, y) => reference[x, y] * 0.999f);
        double shifted2 = MatteMetrics.Gradient(Edge(64, 32, 32), reference);
        double shifted6 = MatteMetrics.Gradient(Edge(64, 32, 36), reference);
        Assert.True(MatteMetrics.Gradient(offset, reference) < shifted2 / 100);
        Assert.True(shifted2 > 0 && shifted6 > shifted2, $"{shifted2} {shifted6}");
    }

    [Fact]
    public void Connectivity_error_matches_a_hand_computed_case()
    {
        // reference [1, 1, 0], prediction [1, 0.5, 0]: pixel 1 leaves the connected region above 0.5, so its
        // level is 0.5; its φ is 1 (prediction, 0 above the level) against 0.5 (reference): error 0.5, i.e. 0.0005.
        var reference = Plane(3, 1, (x, _) => x < 2 ? 1f : 0f);
        var predicted = Plane(3, 1, (x, _) => x == 0 ? 1f : x == 1 ? 0.5f : 0f);
        Assert.Equal(0.0005, MatteMetrics.Connectivity(predicted, reference), 7);
        Assert.Equal(0, MatteMetrics.Connectivity(reference, reference), 9);
        // A small error (below the 0.15 step) in a connected pixel costs nothing.
        var nearly = Plane(3, 1, (x, _) => x == 0 ? 1f : x == 1 ? 0.95f : 0f);
        Assert.Equal(0, MatteMetrics.Connectivity(nearly, reference), 9);
    }

    [Fact]
    public void Largest_component_is_four_connected()
    {
        // Two diagonal pixels are not 4-connected; the 3-pixel bar wins.
        bool[] set =
        [
            true, false, false, false,
            false, true, false, false,
            false, false, false, false,
            true, true, true, false,
        ];
        var largest = MatteMetrics.LargestComponent(set, 4, 4);
        Assert.Equal([false, false, false, false, false, false, false, false, false, false, false, false, true, true, true, false], largest);
    }
}
