using StreamMatte.Imaging;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Live mode, before the first camera frame: runs the frame path's pixel work once on a made-up frame of the stream's
/// size (shrink, scene check, smoothing, guided upsampling, motion warp, compositing), so that compiling those methods
/// happens before the camera's frames come rather than on them: at 1080p the guided filter's first call took 84 ms and
/// the compositor's 124 ms (6 and 8 ms later). Measured on the 1080p clip at 30 fps (bench/live-latency.sh's native row,
/// this project's 2-core machine): 356, 361 and 357 of 366 frames out without it, 361 and 360 with it. Its own
/// instances, not the stages': their state (the smoother's history, the scene numbers) starts with the first real
/// frame. A picture or video background is stood in for by a colour: the blend is the same code, and opening the video
/// again here would start a second decoder.
/// </summary>
internal static class FramePathWarmUp
{
    /// <summary>The work, at <paramref name="frameSize"/> with the picture shrunk to <paramref name="workingSize"/>.</summary>
    public static void Run(PipelineSettings settings, (int Width, int Height) frameSize, (int Width, int Height) workingSize)
    {
        var (fw, fh) = frameSize;
        var (ww, wh) = workingSize;
        var image = new RgbImage(fw, fh);
        for (int y = 0; y < fh; y++)
        {
            var row = image.Row(y);
            for (int i = 0; i < row.Length; i++) row[i] = (byte)((i / 3 + y) * 255 / (fw + fh));
        }
        var small = new RgbImage(ww, wh);
        new AreaScaler().Scale(image, small);
        new SceneChangeDetector().Compare(small);

        // A matte with every kind of run the kernels tell apart: background, soft edge, person.
        var matte = new FloatPlane(ww, wh);
        for (int y = 0; y < wh; y++)
        for (int x = 0; x < ww; x++)
            matte[x, y] = Math.Clamp(3f * x / ww - 1, 0f, 1f);
        var luma = new FloatImage(ww, wh, 1);
        Luma.Extract(small, luma);
        var smoother = new TemporalSmoother(settings.Smoothing);
        smoother.Apply(matte, luma, sceneCut: true);    // the first call starts it, the second smooths
        smoother.Apply(matte, luma, sceneCut: false);

        if (settings.LiveMotionWarp)
        {
            var (mw, mh) = MotionWarp.MotionSize(ww, wh);
            var then = new MotionLuma();
            new MotionLumaMaker().Make(small, mw, mh, then);
            using var warp = new MotionWarp();
            warp.Apply(matte, then, small);
        }

        var alpha = new FloatPlane(fw, fh);
        if (settings.Upsampling == Upsampling.Guided) new GuidedUpsampler(settings.Guided).Upsample(luma, matte, image, alpha);
        else new MatteResampler().Resample(matte, alpha);

        var composite = settings.Composite.Background is Background.Image or Background.Video
            ? settings.Composite with { Background = new Background.Color(0, 0, 0) }
            : settings.Composite;
        using var compositor = new Compositor(composite);
        compositor.Apply(image, alpha, small, matte);
    }
}
