using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Live;

namespace StreamMatte.Tests.Pipeline;

/// <summary>Live mode's warm-up of the frame path before the first frame: it runs for every background without touching the real one.</summary>
public class FramePathWarmUpTests
{
    public static TheoryData<string> Backgrounds => ["blur", "colour", "image", "video", "transparent"];

    [Theory]
    [MemberData(nameof(Backgrounds))]
    public void It_runs_for_every_background_and_opens_no_picture_or_video(string kind)
    {
        // Paths that do not exist: opening either would throw (a picture background is loaded, a video one decoded).
        Background background = kind switch
        {
            "blur" => new Background.Blur(Background.DefaultBlurRadius),
            "colour" => new Background.Color(0, 177, 64),
            "image" => new Background.Image("/nonexistent/background.png"),
            "video" => new Background.Video("/nonexistent/background.mp4"),
            _ => new Background.Transparent(),
        };
        foreach (bool warp in new[] { true, false })
        {
            var settings = new PipelineSettings { Composite = new CompositeSettings(background), LiveMotionWarp = warp };
            Assert.Null(Record.Exception(() => FramePathWarmUp.Run(settings, (640, 360), (320, 180))));
        }
    }
}
