using StreamMatte.Imaging;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Pipeline;

/// <summary>
/// Live mode changes the network's size as the load changes, and with it the matte's. The frame path's parts that work
/// at the matte's size keep each size's buffers: once a size has been seen (the pipeline runs each at set-up), a change
/// back and forth allocates nothing, and state from an earlier visit to a size is not carried over.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public class SizeChangeTests
{
    private const int PictureWidth = 640, PictureHeight = 360;
    private static readonly (int Width, int Height)[] MatteSizes = [(320, 180), (256, 144)];

    private static RgbImage Picture(int width, int height, int seed)
    {
        var image = new RgbImage(width, height);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    private static FloatPlane Matte(int width, int height, float value)
    {
        var matte = new FloatPlane(width, height);
        Array.Fill(matte.Data, value);
        return matte;
    }

    private static FloatImage Guide(RgbImage picture)
    {
        var guide = new FloatImage(picture.Width, picture.Height, 1);
        Luma.Extract(picture, guide);
        return guide;
    }

    [Fact]
    public void Guided_upsampling_at_sizes_seen_before_allocates_nothing_when_the_size_changes()
    {
        var guided = new GuidedUpsampler(new GuidedFilterSettings());
        var picture = Picture(PictureWidth, PictureHeight, 1);
        var alpha = new FloatPlane(PictureWidth, PictureHeight);
        var inputs = MatteSizes.Select(s => (Guide: Guide(Picture(s.Width, s.Height, 2)), Matte: Matte(s.Width, s.Height, 0.5f))).ToArray();
        foreach (var (guide, matte) in inputs) guided.Upsample(guide, matte, picture, alpha);   // each size seen once

        Assert.Equal(0, Allocations.FewestBytes(() =>
        {
            for (int i = 0; i < 6; i++) guided.Upsample(inputs[i % 2].Guide, inputs[i % 2].Matte, picture, alpha);
        }));
    }

    [Fact]
    public void Smoothing_at_sizes_seen_before_allocates_nothing_and_starts_afresh_at_each_change()
    {
        var smoother = new TemporalSmoother(new SmoothingSettings());
        var guides = MatteSizes.Select(s => Guide(Picture(s.Width, s.Height, 3))).ToArray();
        var (lw, lh) = MatteSizes[0];
        var (sw, sh) = MatteSizes[1];
        smoother.Apply(Matte(lw, lh, 0.2f), guides[0], sceneCut: false);   // history at the large size: 0.2
        smoother.Apply(Matte(sw, sh, 0.2f), guides[1], sceneCut: false);
        smoother.Apply(Matte(lw, lh, 0.2f), guides[0], sceneCut: false);
        smoother.Apply(Matte(sw, sh, 0.2f), guides[1], sceneCut: false);

        var back = Matte(lw, lh, 0.9f);
        long before = GC.GetAllocatedBytesForCurrentThread();
        smoother.Apply(back, guides[0], sceneCut: false);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // Still picture, a jump from 0.2 to 0.9: had the old history at this size been taken up, it would be damped.
        Assert.All(back.Data, a => Assert.Equal(0.9f, a));
    }

    [Fact]
    public void The_motion_warp_at_prepared_sizes_allocates_nothing_when_the_size_changes()
    {
        using var warp = new MotionWarp();
        warp.Prepare(MatteSizes, PictureWidth, PictureHeight);
        var picture = Picture(PictureWidth, PictureHeight, 4);
        var inputs = MatteSizes.Select(s =>
        {
            var (mw, mh) = MotionWarp.MotionSize(s.Width, s.Height);
            var luma = new MotionLuma();
            new MotionLumaMaker().Make(Picture(PictureWidth, PictureHeight, 5), mw, mh, luma);
            return (Luma: luma, Matte: Matte(s.Width, s.Height, 0.5f));
        }).ToArray();
        warp.Apply(inputs[0].Matte, inputs[0].Luma, picture);   // JIT

        Assert.Equal(0, Allocations.FewestBytes(() =>
        {
            for (int i = 0; i < 6; i++) warp.Apply(inputs[i % 2].Matte, inputs[i % 2].Luma, picture);
        }));
    }
}
