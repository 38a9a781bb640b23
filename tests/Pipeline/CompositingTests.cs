using StreamMatte.Imaging;
using StreamMatte.Pipeline.Compositing;

namespace StreamMatte.Tests.Pipeline;

public class CompositingTests
{
    private static (RgbImage Frame, FloatPlane Alpha) Synthetic(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var frame = new RgbImage(w, h);
        rng.NextBytes(frame.Pixels);
        var alpha = new FloatPlane(w, h);
        for (int i = 0; i < alpha.Data.Length; i++) alpha.Data[i] = i % 7 == 0 ? 1f : i % 5 == 0 ? 0f : (float)rng.NextDouble();
        return (frame, alpha);
    }

    /// <summary>Runs a compositor the way the pipeline does: the small picture and matte at half size.</summary>
    private static void Composite(CompositeSettings settings, RgbImage frame, FloatPlane alpha)
    {
        var small = new RgbImage(frame.Width / 2, frame.Height / 2);
        new AreaScaler().Scale(frame, small);
        var matte = new FloatPlane(small.Width, small.Height);
        new MatteResampler().Resample(alpha, matte);
        using var compositor = new Compositor(settings);
        compositor.Apply(frame, alpha, small, matte);
    }

    [Fact]
    public void Colour_background_follows_the_compositing_formula_within_one_grey_level()
    {
        // 67 pixels wide: the SIMD body and the scalar tail both run.
        var (frame, alpha) = Synthetic(67, 23, 1);
        var original = (byte[])frame.Pixels.Clone();
        Composite(new CompositeSettings(new Background.Color(10, 200, 90), Decontaminate: false), frame, alpha);
        byte[] bg = [10, 200, 90];
        for (int i = 0; i < alpha.Data.Length; i++)
            for (int c = 0; c < 3; c++)
            {
                double expected = alpha.Data[i] * original[3 * i + c] + (1 - alpha.Data[i]) * bg[c];
                Assert.True(Math.Abs(frame.Pixels[3 * i + c] - expected) <= 1, $"pixel {i} channel {c}: {frame.Pixels[3 * i + c]} vs {expected:F2}");
            }
    }

    [Fact]
    public void A_soft_matte_edge_everywhere_follows_the_formula_across_whole_rows()
    {
        // A segmentation network's matte: never exactly 0 or 1, so every row is one long edge run (scanned eight
        // pixels at a time), with a clean stretch of each kind in between.
        var (frame, _) = Synthetic(301, 40, 2);
        var alpha = new FloatPlane(301, 40);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 301; x++)
                alpha[x, y] = x is >= 100 and < 140 ? 1f : x is >= 200 and < 230 ? 0f : 0.02f + 0.96f * ((x * 7 + y * 3) % 50) / 50f;
        var original = (byte[])frame.Pixels.Clone();
        Composite(new CompositeSettings(new Background.Color(10, 200, 90), Decontaminate: false), frame, alpha);
        byte[] bg = [10, 200, 90];
        for (int i = 0; i < alpha.Data.Length; i++)
            for (int c = 0; c < 3; c++)
            {
                double expected = alpha.Data[i] * original[3 * i + c] + (1 - alpha.Data[i]) * bg[c];
                Assert.True(Math.Abs(frame.Pixels[3 * i + c] - expected) <= 1, $"pixel {i} channel {c}: {frame.Pixels[3 * i + c]} vs {expected:F2}");
            }
    }

    [Fact]
    public void The_SIMD_blend_kernels_match_the_scalar_formulas()
    {
        var rng = new Random(5);
        int n = 3 * 101;
        byte[] image = new byte[n], old = new byte[n], background = new byte[n], plain = new byte[n], clean = new byte[n];
        rng.NextBytes(image);
        rng.NextBytes(old);
        rng.NextBytes(background);
        var alpha3 = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        PixelKernels.Blend(image, background, alpha3, plain);
        PixelKernels.BlendDecontaminated(image, old, background, alpha3, clean);
        for (int i = 0; i < n; i++)
        {
            float a = alpha3[i];
            Assert.InRange(plain[i] - (background[i] + (image[i] - background[i]) * a), -0.51, 0.51);
            Assert.InRange(clean[i] - (Math.Clamp(image[i] - (1 - a) * old[i], 0, 255 * a) + (1 - a) * background[i]), -0.51, 0.51);
        }
    }

    [Fact]
    public void Blur_leaves_the_person_untouched_and_changes_the_background()
    {
        var (frame, alpha) = Synthetic(64, 48, 2);
        var original = (byte[])frame.Pixels.Clone();
        Composite(new CompositeSettings(new Background.Blur(9)), frame, alpha);
        int changedBackground = 0;
        for (int i = 0; i < alpha.Data.Length; i++)
            for (int c = 0; c < 3; c++)
            {
                if (alpha.Data[i] == 1f) Assert.Equal(original[3 * i + c], frame.Pixels[3 * i + c]);
                if (alpha.Data[i] == 0f && frame.Pixels[3 * i + c] != original[3 * i + c]) changedBackground++;
            }
        Assert.True(changedBackground > 0);
    }

    /// <summary>A red person (left) on a blue wall (right), with a soft edge band between.</summary>
    private static (RgbImage Frame, FloatPlane Alpha, int EdgeStart, int EdgeEnd) PersonOnWall(int w = 200, int h = 40)
    {
        var frame = new RgbImage(w, h);
        var alpha = new FloatPlane(w, h);
        int edgeStart = w / 2 - 6, edgeEnd = w / 2 + 6;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float a = Math.Clamp((edgeEnd - x) / (float)(edgeEnd - edgeStart), 0f, 1f);
                alpha[x, y] = a;
                // Observed colour: α·red + (1 − α)·blue, as a camera sees hair against a wall.
                var row = frame.Row(y);
                row[3 * x] = (byte)Math.Round(220 * a + 20 * (1 - a));
                row[3 * x + 1] = 30;
                row[3 * x + 2] = (byte)Math.Round(30 * a + 200 * (1 - a));
            }
        return (frame, alpha, edgeStart, edgeEnd);
    }

    [Fact]
    public void Decontamination_removes_the_old_walls_colour_from_soft_edges()
    {
        var (plain, alpha, from, to) = PersonOnWall();
        var (clean, _, _, _) = PersonOnWall();
        var green = new Background.Color(0, 255, 0);
        Composite(new CompositeSettings(green, Decontaminate: false), plain, alpha);
        Composite(new CompositeSettings(green, Decontaminate: true), clean, alpha);
        // The ideal: α·red + (1 − α)·green. Blue is the old wall's colour: it should be gone.
        double BlueSpill(RgbImage image)
        {
            double sum = 0;
            for (int x = from; x < to; x++)
            {
                float a = alpha[x, 20];
                sum += Math.Abs(image.Row(20)[3 * x + 2] - 30 * a);
            }
            return sum / (to - from);
        }
        double before = BlueSpill(plain), after = BlueSpill(clean);
        Assert.True(after < before * 0.3, $"blue spill at the edge: {after:F1} with decontamination vs {before:F1} without");
    }

    [Fact]
    public void The_blurred_background_does_not_smear_the_person_into_a_halo()
    {
        var (frame, alpha, _, to) = PersonOnWall(w: 400);
        var original = (byte[])frame.Pixels.Clone();
        Composite(new CompositeSettings(new Background.Blur(40)), frame, alpha);
        // Just outside the person, the blurred wall should still be blue-ish, not pink from the person.
        double red = 0;
        for (int x = to + 2; x < to + 20; x++) red += frame.Row(20)[3 * x];
        red /= 18;
        var plainBlur = new RgbImage(frame.Width, frame.Height, original);
        var fullBlur = new FloatImage(frame.Width, frame.Height, 3);
        PixelKernels.ToFloats(plainBlur.Pixels, fullBlur.Data);
        new BoxFilter().Apply(fullBlur, 13, passes: 3);
        double plainRed = 0;
        for (int x = to + 2; x < to + 20; x++) plainRed += fullBlur.Row(20)[3 * x];
        plainRed /= 18;
        Assert.True(red < 20 + (plainRed - 20) * 0.25, $"red next to the person: {red:F0} with the masked blur, {plainRed:F0} with a plain blur (wall is 20)");
    }

    [Fact]
    public void Transparent_output_keeps_opaque_pixels_and_unmixes_edge_colours()
    {
        var (frame, alpha, from, to) = PersonOnWall();
        var original = (byte[])frame.Pixels.Clone();
        Composite(new CompositeSettings(new Background.Transparent()), frame, alpha);
        for (int x = 0; x < from; x++) Assert.Equal(original[3 * x], frame.Pixels[3 * x]);
        // Straight colour at the edge: the person's red/blue (220, 30), not the mix with the wall.
        for (int x = from + 2; x < to - 2; x++)
        {
            Assert.InRange(frame.Row(20)[3 * x], 200, 240);
            Assert.InRange(frame.Row(20)[3 * x + 2], 0, 60);
        }
    }

    [Theory]
    [InlineData("green", 0, 177, 64)]
    [InlineData("#112233", 0x11, 0x22, 0x33)]
    [InlineData("color:#ffffff", 255, 255, 255)]
    public void Background_colours_parse(string text, int r, int g, int b) =>
        Assert.Equal(new Background.Color((byte)r, (byte)g, (byte)b), Background.Parse(text));

    [Fact]
    public void Background_parse_rejects_unknown_values_with_the_choices()
    {
        Assert.Contains("#RRGGBB", Assert.Throws<ArgumentException>(() => Background.Parse("purple-ish")).Message);
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => Background.Parse("/no/such/beach.jpg")).Message);
        Assert.IsType<Background.Transparent>(Background.Parse("transparent"));
        Assert.Equal(new Background.Blur(30), Background.Parse("blur", blurRadius: 30));
    }

    [Fact]
    public void Resampling_keeps_constants_and_interpolates_between_samples()
    {
        var small = new FloatPlane(2, 1);
        small.Data[0] = 0;
        small.Data[1] = 1;
        var big = new FloatPlane(8, 3);
        new MatteResampler().Resample(small, big);
        for (int y = 0; y < 3; y++)
        {
            Assert.Equal(0f, big[0, y]);
            Assert.Equal(1f, big[7, y]);
            for (int x = 1; x < 8; x++) Assert.True(big[x, y] >= big[x - 1, y]);
        }
        Assert.Equal(0.5f, 0.5f * (big[3, 0] + big[4, 0]), 3);
    }

    private static string Generate(string name, params string[] ffmpegArgs)
    {
        string dir = Path.Combine(Path.GetTempPath(), "stream-matte-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        using (var gen = StreamMatte.Pipeline.Video.FfmpegProcess.Start([.. ffmpegArgs, path])) gen.WaitForExit();
        return path;
    }

    [Fact]
    public void A_picture_background_covers_the_frame_where_there_is_no_person()
    {
        // A 4:3 picture, left half red, right half blue, on a 16:9 frame: scaled to cover, cropped top and bottom.
        string picture = Generate("bg.png", "-f", "lavfi", "-i", "color=red:size=40x30,pad=80:30:0:0:blue", "-frames:v", "1");
        var frame = new RgbImage(64, 36);
        var alpha = new FloatPlane(64, 36); // all background
        Composite(new CompositeSettings(new Background.Image(picture), Decontaminate: false), frame, alpha);
        Assert.True(frame.Row(18)[3 * 5] > 200 && frame.Row(18)[3 * 5 + 2] < 50, "left is red");
        Assert.True(frame.Row(18)[3 * 58 + 2] > 200 && frame.Row(18)[3 * 58] < 50, "right is blue");
    }

    [Fact]
    public void A_video_background_plays_frame_by_frame_and_loops()
    {
        // Two frames: red, then blue.
        string video = Generate("bg.mkv", "-f", "lavfi", "-i", "color=red:size=32x32:rate=2:duration=0.5", "-f", "lavfi", "-i", "color=blue:size=32x32:rate=2:duration=0.5",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1", "-c:v", "ffv1");
        var alpha = new FloatPlane(32, 32);
        var small = new RgbImage(16, 16);
        var matte = new FloatPlane(16, 16);
        using var compositor = new Compositor(new CompositeSettings(new Background.Video(video), Decontaminate: false));
        var reds = new List<bool>();
        for (int i = 0; i < 5; i++)
        {
            var frame = new RgbImage(32, 32);
            compositor.Apply(frame, alpha, small, matte);
            reds.Add(frame.Pixels[0] > 200);
        }
        Assert.Equal([true, false, true, false, true], reds);
    }
}
