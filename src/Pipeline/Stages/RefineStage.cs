using StreamMatte.Imaging;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Matte;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// Refine: steadies the matte in time (motion-adaptive smoothing at the matte's resolution), applies the edge
/// controls, keeps only the selected people's share of it (<c>--keep</c>, <c>--remove</c>), and brings it to full
/// resolution following the picture's edges (guided filter). Live, the matte's size follows the network's: every
/// buffer here is kept per size (<see cref="PerSize{TKey,T}"/>), so a size seen before allocates nothing.
/// </summary>
internal sealed class RefineStage : FrameStage
{
    private readonly TemporalSmoother _smoother;
    private readonly GuidedUpsampler _guided;
    private readonly MatteResampler _bilinear = new();
    private readonly PictureShrinker _guideShrinker = new();   // the small picture at the matte's size, when the two differ
    private readonly BoxFilter _feather = new();
    private readonly MatteResampler _selectionResampler = new();
    private readonly PerSize<(int, int), AtMatteSize> _atSize = new();
    private long _scene;

    /// <summary>The guide (the picture's luma) and the people selection, at one matte size.</summary>
    private sealed class AtMatteSize(int width, int height)
    {
        public FloatImage Guide { get; } = new(width, height, 1);
        public FloatPlane Selection { get; } = new(width, height);
    }

    public RefineStage(PipelineContext context) : base("refine", context)
    {
        _smoother = new TemporalSmoother(context.Settings.Smoothing);
        _guided = new GuidedUpsampler(context.Settings.Guided);
    }

    /// <summary>
    /// Live, set-up time: for each matte size the network may give, makes everything this stage needs and runs it once
    /// on a blank frame, so that a size change in the run neither allocates nor maps new memory. Made is not enough:
    /// fresh memory becomes resident on its first write, and a 4-minute live run whose size changes were all set up
    /// beforehand still grew 15 MB at its first visits of each size (373 → 388 MB), then stayed flat.
    /// </summary>
    public void Prepare(IReadOnlyList<(int Width, int Height)> matteSizes)
    {
        var (workingWidth, workingHeight) = Context.Pool.WorkingSize;
        var (frameWidth, frameHeight) = Context.Pool.FrameSize;
        var small = new RgbImage(workingWidth, workingHeight);
        var picture = new RgbImage(frameWidth, frameHeight);
        var alpha = new FloatPlane(frameWidth, frameHeight);
        foreach (var (w, h) in matteSizes)
        {
            var guide = BuffersFor(w, h).Guide;
            var matte = new FloatPlane(w, h);
            Luma.Extract(_guideShrinker.Shrink(small, w, h), guide);
            _smoother.Apply(matte, guide, sceneCut: true);
            _smoother.Apply(matte, guide, sceneCut: false);
            if (Context.Settings.Upsampling == Upsampling.Guided) _guided.Upsample(guide, matte, picture, alpha);
            else _bilinear.Resample(matte, alpha);
        }
        _smoother.Forget();
    }

    private AtMatteSize BuffersFor(int width, int height) =>
        _atSize.TryGet((width, height), out var buffers) ? buffers : _atSize.Add((width, height), new AtMatteSize(width, height));

    protected override ValueTask ProcessAsync(Frame frame)
    {
        var matte = frame.Matte;
        var buffers = BuffersFor(matte.Width, matte.Height);
        var guide = buffers.Guide;
        Luma.Extract(_guideShrinker.Shrink(frame.Small, matte.Width, matte.Height), guide);
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
        if (frame.People is { } people && Context.Settings.People is { ChangesMatte: true }) KeepSelectedPeople(people, matte, buffers.Selection);
        if (Context.Settings.Upsampling == Upsampling.Guided) _guided.Upsample(guide, matte, frame.Image, frame.Alpha);
        else _bilinear.Resample(matte, frame.Alpha);
        if (Context.Settings.Feather > 0) _feather.Apply(frame.Alpha, Context.Settings.Feather, passes: 2);
        return default;
    }

    /// <summary>α · selection: the removed people's share of the matte goes (their pixels get the background).</summary>
    private void KeepSelectedPeople(People.PeopleMap people, FloatPlane matte, FloatPlane selection)
    {
        _selectionResampler.Resample(people.Selection, selection);
        var a = matte.Data;
        var s = selection.Data;
        for (int i = 0, n = matte.Width * matte.Height; i < n; i++) a[i] *= Math.Clamp(s[i], 0f, 1f);
    }
}
