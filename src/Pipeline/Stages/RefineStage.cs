using StreamMatte.Imaging;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Refine: steadies the matte in time (motion-adaptive smoothing at the matte's resolution), applies the edge
/// controls, keeps only the selected people's share of it (<c>--keep</c>, <c>--remove</c>), and brings it to full
/// resolution following the picture's edges (guided filter).
/// </summary>
internal sealed class RefineStage : FrameStage
{
    private readonly TemporalSmoother _smoother;
    private readonly GuidedUpsampler _guided;
    private readonly MatteResampler _bilinear = new();
    private readonly AreaScaler _guideScaler = new();
    private readonly BoxFilter _feather = new();
    private readonly MatteResampler _selectionResampler = new();
    private FloatPlane _selection = new(1, 1);
    private RgbImage? _guidePicture;   // the small picture at the matte's size, when the two differ
    private FloatImage? _guide;        // its luma
    private long _scene;

    public RefineStage(PipelineContext context) : base("refine", context)
    {
        _smoother = new TemporalSmoother(context.Settings.Smoothing);
        _guided = new GuidedUpsampler(context.Settings.Guided);
    }

    protected override ValueTask ProcessAsync(Frame frame)
    {
        var matte = frame.Matte;
        var guide = GuideFor(frame.Small, matte.Width, matte.Height);
        // Live, the cut frame itself may have had no matte yet (dropped): a new scene number restarts the smoothing too.
        _smoother.Apply(matte, guide, frame.SceneCut || frame.Scene != _scene);
        _scene = frame.Scene;
        float shrink = Context.Settings.EdgeShrink;
        if (shrink > 0)
        {
            var a = matte.Data;
            float gain = 1 / (1 - Math.Min(shrink, 0.9f));
            for (int i = 0, n = matte.Width * matte.Height; i < n; i++) a[i] = Math.Clamp((a[i] - shrink) * gain, 0f, 1f);
        }
        if (frame.People is { } people && Context.Settings.People is { ChangesMatte: true }) KeepSelectedPeople(people, matte);
        if (Context.Settings.Upsampling == Upsampling.Guided) _guided.Upsample(guide, matte, frame.Image, frame.Alpha);
        else _bilinear.Resample(matte, frame.Alpha);
        if (Context.Settings.Feather > 0) _feather.Apply(frame.Alpha, Context.Settings.Feather, passes: 2);
        return default;
    }

    /// <summary>α · selection: the removed people's share of the matte goes (their pixels get the background).</summary>
    private void KeepSelectedPeople(People.PeopleMap people, FloatPlane matte)
    {
        if (_selection.Width != matte.Width || _selection.Height != matte.Height) _selection = new FloatPlane(matte.Width, matte.Height);
        _selectionResampler.Resample(people.Selection, _selection);
        var a = matte.Data;
        var s = _selection.Data;
        for (int i = 0, n = matte.Width * matte.Height; i < n; i++) a[i] *= Math.Clamp(s[i], 0f, 1f);
    }

    private FloatImage GuideFor(RgbImage small, int width, int height)
    {
        if (_guide is null || _guide.Width != width || _guide.Height != height) _guide = new FloatImage(width, height, 1);
        if (small.Width == width && small.Height == height)
        {
            Luma.Extract(small, _guide);
            return _guide;
        }
        if (_guidePicture is null || _guidePicture.Width != width || _guidePicture.Height != height) _guidePicture = new RgbImage(width, height);
        _guideScaler.Scale(small, _guidePicture);
        Luma.Extract(_guidePicture, _guide);
        return _guide;
    }
}
