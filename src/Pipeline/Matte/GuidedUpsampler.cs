using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Matte;

/// <summary>Radius (in low-resolution pixels) and regularisation ε of the guided filter (luma in 0..1).</summary>
public sealed record GuidedFilterSettings(int Radius = 3, float Epsilon = 1e-3f);

/// <summary>
/// Brings a low-resolution matte to full resolution following the full-resolution picture's edges: the fast
/// guided filter (He &amp; Sun 2015). At low resolution each window fits α ≈ a·I + b to the guide I (luma);
/// the coefficients a, b are smoothed, upsampled bilinearly, and applied to the full-resolution luma, so an
/// edge in the picture is an edge in the matte even where the network saw only a blur. Cost: a few box
/// filters at low resolution plus one multiply-add per full-resolution pixel.
/// </summary>
public sealed class GuidedUpsampler(GuidedFilterSettings settings)
{
    private readonly BoxFilter _box = new();
    private readonly BilinearRowSampler _sampler = new();
    private FloatImage? _statistics;   // I, p, I·p, I·I
    private FloatImage? _coefficients; // a, b

    public GuidedFilterSettings Settings => settings;

    /// <param name="guide">Luma of the picture at the matte's resolution (1 channel).</param>
    /// <param name="matte">The network's matte.</param>
    /// <param name="picture">The full-resolution picture.</param>
    /// <param name="alpha">Receives the full-resolution matte.</param>
    public void Upsample(FloatImage guide, FloatPlane matte, RgbImage picture, FloatPlane alpha)
    {
        int w = matte.Width, h = matte.Height;
        if (guide.Width != w || guide.Height != h || guide.Channels != 1)
            throw new ArgumentException($"the guide ({guide}) must be single-channel at the matte's size ({matte})");
        if (alpha.Width != picture.Width || alpha.Height != picture.Height)
            throw new ArgumentException($"the output matte ({alpha}) must match the picture ({picture})");
        Configure(w, h, picture.Width, picture.Height);
        var stats = _statistics!.Data;
        var g = guide.Data;
        var p = matte.Data;
        for (int i = 0, n = w * h; i < n; i++)
        {
            float gi = g[i], pi = p[i];
            int o = 4 * i;
            stats[o] = gi;
            stats[o + 1] = pi;
            stats[o + 2] = gi * pi;
            stats[o + 3] = gi * gi;
        }
        _box.Apply(_statistics, settings.Radius);
        var coefficients = _coefficients!.Data;
        float eps = settings.Epsilon;
        for (int i = 0, n = w * h; i < n; i++)
        {
            int o = 4 * i;
            float meanI = stats[o], meanP = stats[o + 1];
            float variance = stats[o + 3] - meanI * meanI;
            float covariance = stats[o + 2] - meanI * meanP;
            float a = covariance / (variance + eps);
            coefficients[2 * i] = a;
            coefficients[2 * i + 1] = meanP - a * meanI;
        }
        _box.Apply(_coefficients, settings.Radius);

        for (int y = 0; y < picture.Height; y++)
        {
            _sampler.SelectRow(_coefficients, y);
            GatherKernels.GuidedRow(_sampler.SelectedRow, _sampler.Columns, picture.Row(y), alpha.Row(y));
        }
    }

    private void Configure(int w, int h, int fullWidth, int fullHeight)
    {
        if (_statistics is null || !_statistics.HasSize(w, h, 4))
        {
            _statistics = new FloatImage(w, h, 4);
            _coefficients = new FloatImage(w, h, 2);
        }
        _sampler.Configure(w, h, 2, fullWidth, fullHeight);
    }
}
