namespace StreamMatte.Imaging;

/// <summary>
/// Pixel-centre-aligned bilinear taps for resampling one axis from <c>src</c> to <c>dst</c> samples (the
/// convention of OpenCV and PyTorch's align_corners=False): for output i, the two source indices (multiplied
/// by <c>step</c>, e.g. bytes per pixel or per row) and the weight of the second. Computed once per size pair.
/// </summary>
public readonly record struct BilinearTaps(int[] First, int[] Second, float[] Weight)
{
    public static BilinearTaps Compute(int src, int dst, int step = 1)
    {
        var first = new int[dst];
        var second = new int[dst];
        var weight = new float[dst];
        double scale = (double)src / dst;
        for (int i = 0; i < dst; i++)
        {
            double s = Math.Clamp((i + 0.5) * scale - 0.5, 0, src - 1);
            int a = (int)s;
            first[i] = a * step;
            second[i] = Math.Min(a + 1, src - 1) * step;
            weight[i] = (float)(s - a);
        }
        return new BilinearTaps(first, second, weight);
    }
}
