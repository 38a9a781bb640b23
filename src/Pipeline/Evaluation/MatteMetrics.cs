using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Evaluation;

/// <summary>
/// The standard matting errors (Rhemann et al. 2009, as computed by the DIM/MLB evaluation code), for α in 0..1
/// over the whole image: MSE (mean), SAD (sum, in thousands), gradient error (Gaussian first-derivative filters,
/// σ = 1.4, in thousands), connectivity error (thresholds in steps of 0.1, 4-connected, in thousands), the boundary
/// MSE of paper 002 (MSE where 0.05 &lt; α_ref &lt; 0.95) and the person IoU of a thresholded matte.
/// </summary>
public static class MatteMetrics
{
    public static double Mse(FloatPlane predicted, FloatPlane reference)
    {
        Check(predicted, reference);
        double sum = 0;
        for (int i = 0; i < predicted.Data.Length; i++) { double d = predicted.Data[i] - reference.Data[i]; sum += d * d; }
        return sum / predicted.Data.Length;
    }

    public static double Sad(FloatPlane predicted, FloatPlane reference)
    {
        Check(predicted, reference);
        double sum = 0;
        for (int i = 0; i < predicted.Data.Length; i++) sum += Math.Abs(predicted.Data[i] - reference.Data[i]);
        return sum / 1000;
    }

    /// <summary>MSE over the reference's soft region (0.05 &lt; α &lt; 0.95); NaN when it has none.</summary>
    public static double BoundaryMse(FloatPlane predicted, FloatPlane reference)
    {
        Check(predicted, reference);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < predicted.Data.Length; i++)
        {
            float r = reference.Data[i];
            if (r <= 0.05f || r >= 0.95f) continue;
            double d = predicted.Data[i] - r;
            sum += d * d;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Intersection over union of (α ≥ threshold) with a binary mask (mask ≥ 0.5).</summary>
    public static double Iou(FloatPlane predicted, FloatPlane mask, float threshold = 0.5f)
    {
        Check(predicted, mask);
        long inter = 0, union = 0;
        for (int i = 0; i < predicted.Data.Length; i++)
        {
            bool p = predicted.Data[i] >= threshold, m = mask.Data[i] >= 0.5f;
            if (p && m) inter++;
            if (p || m) union++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }

    public static double Gradient(FloatPlane predicted, FloatPlane reference)
    {
        Check(predicted, reference);
        var gp = GradientMagnitude(predicted);
        var gr = GradientMagnitude(reference);
        double sum = 0;
        for (int i = 0; i < gp.Length; i++) { double d = gp[i] - gr[i]; sum += d * d; }
        return sum / 1000;
    }

    public static double Connectivity(FloatPlane predicted, FloatPlane reference, float step = 0.1f)
    {
        Check(predicted, reference);
        int n = predicted.Data.Length;
        var level = new float[n];
        Array.Fill(level, -1f);
        var both = new bool[n];
        int steps = (int)Math.Round(1 / step);
        for (int k = 1; k <= steps; k++)
        {
            float t = (float)k / steps;
            for (int i = 0; i < n; i++) both[i] = predicted.Data[i] >= t && reference.Data[i] >= t;
            var largest = LargestComponent(both, predicted.Width, predicted.Height);
            for (int i = 0; i < n; i++)
                if (level[i] < 0 && !largest[i]) level[i] = (float)(k - 1) / steps;
        }
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            float l = level[i] < 0 ? 1 : level[i];
            double dp = predicted.Data[i] - l, dr = reference.Data[i] - l;
            double phiP = 1 - (dp >= 0.15 ? dp : 0), phiR = 1 - (dr >= 0.15 ? dr : 0);
            sum += Math.Abs(phiP - phiR);
        }
        return sum / 1000;
    }

    private static float[] GradientMagnitude(FloatPlane a)
    {
        const double sigma = 1.4;
        int r = (int)Math.Ceiling(3 * sigma);
        var g = new float[2 * r + 1];
        var dg = new float[2 * r + 1];
        double gSum = 0, dgNorm = 0;
        for (int i = -r; i <= r; i++)
        {
            double v = Math.Exp(-i * i / (2 * sigma * sigma));
            g[i + r] = (float)v;
            dg[i + r] = (float)(-i * v);
            gSum += v;
            dgNorm += Math.Abs(-i * v);
        }
        for (int i = 0; i < g.Length; i++) { g[i] /= (float)gSum; dg[i] /= (float)(dgNorm / 2); }
        int w = a.Width, h = a.Height;
        var gx = Separable(a.Data, w, h, dg, g);
        var gy = Separable(a.Data, w, h, g, dg);
        for (int i = 0; i < gx.Length; i++) gx[i] = MathF.Sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
        return gx;
    }

    /// <summary>Horizontal kernel then vertical kernel, edges replicated.</summary>
    private static float[] Separable(float[] src, int w, int h, float[] horizontal, float[] vertical)
    {
        int r = horizontal.Length / 2;
        var tmp = new float[w * h];
        var dst = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0;
                for (int k = -r; k <= r; k++) s += horizontal[k + r] * src[y * w + Math.Clamp(x + k, 0, w - 1)];
                tmp[y * w + x] = s;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0;
                for (int k = -r; k <= r; k++) s += vertical[k + r] * tmp[Math.Clamp(y + k, 0, h - 1) * w + x];
                dst[y * w + x] = s;
            }
        return dst;
    }

    /// <summary>The largest 4-connected set of true pixels.</summary>
    internal static bool[] LargestComponent(bool[] set, int w, int h)
    {
        var label = new int[set.Length];
        var stack = new Stack<int>();
        int best = 0, bestSize = 0, next = 0;
        for (int start = 0; start < set.Length; start++)
        {
            if (!set[start] || label[start] != 0) continue;
            int id = ++next, size = 0;
            label[start] = id;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int p = stack.Pop();
                size++;
                int x = p % w, y = p / w;
                if (x > 0) Visit(p - 1);
                if (x < w - 1) Visit(p + 1);
                if (y > 0) Visit(p - w);
                if (y < h - 1) Visit(p + w);
            }
            if (size > bestSize) { bestSize = size; best = id; }

            void Visit(int q)
            {
                if (set[q] && label[q] == 0) { label[q] = id; stack.Push(q); }
            }
        }
        var result = new bool[set.Length];
        if (best > 0) for (int i = 0; i < set.Length; i++) result[i] = label[i] == best;
        return result;
    }

    private static void Check(FloatPlane a, FloatPlane b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"matte sizes differ: {a.Width}x{a.Height} vs {b.Width}x{b.Height}");
    }
}
