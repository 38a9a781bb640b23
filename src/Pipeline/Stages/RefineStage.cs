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
    /// Live: makes everything mattes of this size need now (set-up time), for each size the network may work at, so
    /// that a size change in the run allocates nothing.
    /// </summary>
    public void Prepare(int matteWidth, int matteHeight)
    {
        BuffersFor(matteWidth, matteHeight);
        var (workingWidth, workingHeight) = Context.Pool.WorkingSize;
        _guideShrinker.Prepare(workingWidth, workingHeight, matteWidth, matteHeight);
        _smoother.Prepare(matteWidth, matteHeight);
        var (frameWidth, frameHeight) = Context.Pool.FrameSize;
        if (Context.Settings.Upsampling == Upsampling.Guided) _guided.Prepare(matteWidth, matteHeight, frameWidth, frameHeight);
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
