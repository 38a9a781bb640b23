using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.Video;
using StreamMatte.Tests.Support;
using Xunit.Abstractions;

namespace StreamMatte.Tests.Pipeline;

/// <summary>Edge-aware upsampling and temporal smoothing, measured.</summary>
public class MatteQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Guided_upsampling_skipping_clear_person_and_background_equals_the_per_pixel_pass()
    {
        const int w = 1280, h = 720, lw = 256, lh = 144;
        var rng = new Random(11);
        var picture = new RgbImage(w, h);
        rng.NextBytes(picture.Pixels);
        var small = new RgbImage(lw, lh);
        new AreaScaler().Scale(picture, small);
        var matte = new FloatPlane(lw, lh);
        for (int y = 0; y < lh; y++)   // a person-like blob with a soft edge, and clear 0 and 1 elsewhere
            for (int x = 0; x < lw; x++)
            {
                double d = Math.Sqrt(Math.Pow((x - lw / 2.0) / (lw * 0.2), 2) + Math.Pow((y - lh) / (lh * 0.7), 2));
                matte[x, y] = (float)Math.Clamp((1 - d) * 8 + 0.5, 0, 1);
            }
        var guide = new FloatImage(lw, lh, 1);
        Luma.Extract(small, guide);
        var skipping = new FloatPlane(w, h);
        var plain = new FloatPlane(w, h);
        new GuidedUpsampler(new GuidedFilterSettings()).Upsample(guide, matte, picture, skipping);
        new GuidedUpsampler(new GuidedFilterSettings()) { SkipFlatRuns = false }.Upsample(guide, matte, picture, plain);

        for (int i = 0; i < plain.Data.Length; i++) Assert.Equal(plain.Data[i], skipping.Data[i], GuidedUpsampler.FlatTolerance);
        Assert.Contains(plain.Data, v => v == 0);            // the test covers all three kinds of stretch
        Assert.Contains(plain.Data, v => v == 1);
        Assert.Contains(plain.Data, v => v > 0.05f && v < 0.95f);
    }

    [Fact]
    public void Guided_upsampling_puts_the_edge_where_the_picture_has_it_bilinear_does_not()
    {
        const int w = 640, h = 360, lw = 128, lh = 72;
        var picture = new RgbImage(w, h);
        var truth = new FloatPlane(w, h);
        var rng = new Random(7);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                // A slanted edge: person (bright) on the left of x = 300 + y/4.
                bool person = x < 300 + y / 4;
                truth[x, y] = person ? 1 : 0;
                byte v = (byte)((person ? 200 : 50) + rng.Next(-8, 9));
                picture.Row(y)[3 * x] = picture.Row(y)[3 * x + 1] = picture.Row(y)[3 * x + 2] = v;
            }
        var small = new RgbImage(lw, lh);
        new AreaScaler().Scale(picture, small);
        var matte = new FloatPlane(lw, lh);
        for (int i = 0; i < matte.Data.Length; i++) matte.Data[i] = small.Pixels[3 * i] / 255f > 0.49f ? 1 : 0; // a coarse network answer
        // The network's answer is blurry at its own resolution, as real ones are.
        var blurry = new FloatImage(lw, lh, 1);
        Array.Copy(matte.Data, blurry.Data, matte.Data.Length);
        new BoxFilter().Apply(blurry, 1);
        Array.Copy(blurry.Data, matte.Data, matte.Data.Length);
        var guide = new FloatImage(lw, lh, 1);
        Luma.Extract(small, guide);

        var guided = new FloatPlane(w, h);
        new GuidedUpsampler(new GuidedFilterSettings()).Upsample(guide, matte, picture, guided);
        var bilinear = new FloatPlane(w, h);
        new MatteResampler().Resample(matte, bilinear);

        double ErrorNearEdge(FloatPlane a)
        {
            double sum = 0;
            int n = 0;
            for (int y = 0; y < h; y++)
                for (int x = 300 + y / 4 - 12; x < 300 + y / 4 + 12; x++, n++) sum += Math.Abs(a[x, y] - truth[x, y]);
            return sum / n;
        }
        double g = ErrorNearEdge(guided), b = ErrorNearEdge(bilinear);
        output.WriteLine($"mean |α − truth| within 12 px of the edge: guided {g:F3}, bilinear {b:F3}");
        Assert.True(g < 0.5 * b, $"guided {g:F3} should be well under bilinear {b:F3}");
    }

    [Fact]
    public void Smoothing_reduces_flicker_where_the_picture_is_still_without_lagging_where_it_moves()
    {
        // Real video, a real segmentation network at the pipeline's working size.
        string clip = SharedAssets.RequireData("videos/talking_head_1080p.mp4");
        using var model = ModelCatalog.Open(SharedAssets.RequireModel("selfie_segmentation_256.onnx"), new SessionSettings { Device = ExecutionDevice.Cpu });
        using var reader = new VideoReader(clip, (512, 288), maxFrames: 100);
        var frame = new RgbImage(512, 288);
        model.Configure(512, 288);
        var scaler = new AreaScaler();
        var raw = new FlickerMeter();
        var adaptive = new FlickerMeter();
        var constant = new FlickerMeter();
        var adaptiveSmoother = new TemporalSmoother(new SmoothingSettings()); // the defaults
        var constantSmoother = new TemporalSmoother(new SmoothingSettings(0.8f, NoiseLevel: 10, FullResponseMotion: 11, StillDeadband: 0)); // a plain average: never responds to motion
        RgbImage? guidePicture = null;
        FloatImage? guide = null;
        FloatPlane? a1 = null, a2 = null;
        while (reader.ReadFrame(frame))
        {
            var matte = model.Process(frame).Alpha;
            guidePicture ??= new RgbImage(matte.Width, matte.Height);
            guide ??= new FloatImage(matte.Width, matte.Height, 1);
            scaler.Scale(frame, guidePicture);
            Luma.Extract(guidePicture, guide);
            a1 ??= new FloatPlane(matte.Width, matte.Height);
            a2 ??= new FloatPlane(matte.Width, matte.Height);
            Array.Copy(matte.Data, a1.Data, a1.Data.Length);
            Array.Copy(matte.Data, a2.Data, a2.Data.Length);
            adaptiveSmoother.Apply(a1, guide, sceneCut: false);
            constantSmoother.Apply(a2, guide, sceneCut: false);
            raw.Add(matte, guide, matte);
            adaptive.Add(a1, guide, matte);
            constant.Add(a2, guide, matte);
        }
        output.WriteLine($"{reader.FramesRead} frames, {raw.StillPixels} still and {raw.MovingPixels} moving pixel-frames");
        output.WriteLine($"static flicker mean|Δα|: raw {raw.StaticFlicker:F5}, adaptive {adaptive.StaticFlicker:F5}, constant EMA {constant.StaticFlicker:F5}");
        output.WriteLine($"lag on moving pixels mean|α − α_raw|: adaptive {adaptive.MovingLag:F5}, constant EMA {constant.MovingLag:F5}");
        Assert.True(raw.StillPixels > 100_000 && raw.MovingPixels > 1_000, "the clip should have still and moving areas");
        Assert.True(adaptive.StaticFlicker < 0.6 * raw.StaticFlicker, $"flicker {adaptive.StaticFlicker:F5} vs raw {raw.StaticFlicker:F5}");
        Assert.True(adaptive.MovingLag < 0.5 * constant.MovingLag, $"lag {adaptive.MovingLag:F5} vs a constant EMA's {constant.MovingLag:F5}");
    }
}
