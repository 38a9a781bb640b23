using StreamMatte.Imaging;

namespace StreamMatte.Tests.Support;

/// <summary>Mask comparisons for tests, written independently of the product's kernels (nearest sampling).</summary>
public static class Masks
{
    /// <summary>IoU of (α &gt; 0.5), sampled at each label pixel, against (label &gt; 127).</summary>
    public static double IoU(FloatPlane alpha, RgbImage label)
    {
        var (inter, union) = Overlap(alpha, label);
        return union == 0 ? 1 : (double)inter / union;
    }

    /// <summary>Pixel counts of intersection and union, for IoU pooled over several images.</summary>
    public static (long Intersection, long Union) Overlap(FloatPlane alpha, RgbImage label)
    {
        long inter = 0, union = 0;
        for (int y = 0; y < label.Height; y++)
        for (int x = 0; x < label.Width; x++)
        {
            bool a = Sample(alpha, x, y, label.Width, label.Height) > 0.5f;
            bool b = label.Pixels[(y * label.Width + x) * 3] > 127;
            if (a && b) inter++;
            if (a || b) union++;
        }
        return (inter, union);
    }

    /// <summary>IoU of two planes thresholded at 0.5, compared on the first one's grid.</summary>
    public static double IoU(FloatPlane a, FloatPlane b)
    {
        long inter = 0, union = 0;
        for (int y = 0; y < a.Height; y++)
        for (int x = 0; x < a.Width; x++)
        {
            bool p = a[x, y] > 0.5f, q = Sample(b, x, y, a.Width, a.Height) > 0.5f;
            if (p && q) inter++;
            if (p || q) union++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }

    public static float Sample(FloatPlane plane, int x, int y, int width, int height) =>
        plane[Math.Min(plane.Width - 1, (int)((x + 0.5) * plane.Width / width)), Math.Min(plane.Height - 1, (int)((y + 0.5) * plane.Height / height))];

    public static double MeanAbsDifference(FloatPlane a, FloatPlane b)
    {
        double sum = 0;
        for (int i = 0; i < a.Data.Length; i++) sum += Math.Abs(a.Data[i] - b.Data[i]);
        return sum / a.Data.Length;
    }
}
