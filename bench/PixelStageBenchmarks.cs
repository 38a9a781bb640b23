using BenchmarkDotNet.Attributes;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Bench;

/// <summary>
/// The pixel stages alone, per frame, single-threaded, on a synthetic frame with a person-shaped matte (an
/// ellipse with a soft edge) and a 512-wide working size. Matte "crisp" is 0 or 1 away from the edge (a matting
/// network's matte); "soft" is the same kept within 0.02..0.98 everywhere (a segmentation network's sigmoid, e.g.
/// MediaPipe selfie), which leaves no clean run to skip, the worst case for refine and composite. Stages: shrink for the network (preprocess), temporal smoothing and
/// guided upsampling of the matte (refine), and compositing. Not end-to-end (no decode, model or encode: see
/// VideoIoBenchmarks and ModelInferenceBenchmarks for those stages).
/// Run: dotnet run -c Release --project bench/StreamMatte.Bench.csproj -- --filter '*PixelStage*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PixelStageBenchmarks
{
    [Params("1280x720", "1920x1080")]
    public string Frame { get; set; } = "";

    [Params("crisp", "soft")]
    public string Matte { get; set; } = "";

    private RgbImage _frame = null!, _small = null!;
    private FloatPlane _alpha = null!, _matte = null!;
    private FloatImage _guide = null!;
    private readonly AreaScaler _scaler = new();
    private readonly GuidedUpsampler _guided = new(new GuidedFilterSettings());
    private readonly TemporalSmoother _smoother = new(new SmoothingSettings());
    private Compositor _blur = null!, _colour = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Frame.Split('x');
        int w = int.Parse(parts[0]), h = int.Parse(parts[1]);
        _frame = new RgbImage(w, h);
        new Random(1).NextBytes(_frame.Pixels);
        _small = new RgbImage(512, 512 * h / w);
        _alpha = new FloatPlane(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double d = Math.Sqrt(Math.Pow((x - w / 2.0) / (w * 0.25), 2) + Math.Pow((y - h) / (h * 0.8), 2));
                float a = (float)Math.Clamp((1 - d) * 60 + 0.5, 0, 1);
                _alpha[x, y] = Matte == "soft" ? 0.02f + 0.96f * a : a;
            }
        _matte = new FloatPlane(_small.Width, _small.Height);
        new MatteResampler().Resample(_alpha, _matte);
        _scaler.Scale(_frame, _small);
        _guide = new FloatImage(_small.Width, _small.Height, 1);
        Luma.Extract(_small, _guide);
        _blur = new Compositor(new CompositeSettings(new Background.Blur(Background.DefaultBlurRadius)));
        _colour = new Compositor(new CompositeSettings(new Background.Color(0, 177, 64)));
    }

    [Benchmark]
    public void Preprocess_AreaShrinkTo512Wide() => _scaler.Scale(_frame, _small);

    /// <summary>Temporal smoothing runs at the matte's own size (the working size), the same for any frame size.</summary>
    [Benchmark]
    public void Refine_TemporalSmoothingAtWorkingSize() => _smoother.Apply(_matte, _guide, sceneCut: false);

    [Benchmark]
    public void Refine_GuidedUpsamplingToFullSize() => _guided.Upsample(_guide, _matte, _frame, _alpha);

    [Benchmark]
    public void Composite_BlurAndDecontaminate() => _blur.Apply(_frame, _alpha, _small, _matte);

    [Benchmark]
    public void Composite_ColourAndDecontaminate() => _colour.Apply(_frame, _alpha, _small, _matte);

    [GlobalCleanup]
    public void Cleanup()
    {
        _blur.Dispose();
        _colour.Dispose();
    }
}
