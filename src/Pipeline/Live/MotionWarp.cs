using OpenCvSharp;
using OpenCvSharp.Internal;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Stages;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Live mode: moves a matte computed from an earlier frame to where the picture is now. The network runs beside the
/// frames, so a frame's matte is typically 2–4 frames old and lags behind a moving person. This measures the dense
/// motion from the current frame to the matte's frame (OpenCV's Farnebäck optical flow, on the two frames' lumas at a
/// small size, <see cref="MotionSize"/>) and warps the matte backwards by it: warped(p) = matte(p + flow(p)) (OpenCV's
/// remap, bilinear). The refine stage then fits the result to the frame's own edges (guided filter) as before.
/// The flow is measured at a long side of <see cref="MotionLongSide"/> whatever the matte's size: its cost (a few ms on
/// one core) then does not grow with the network's size, and a person's motion is smooth at that scale; the flow is
/// brought to the matte's size bilinearly.
/// Ownership: used by the matte stage only (one frame at a time). Allocation: OpenCV matrices and their argument proxies
/// are made once per (matte size, motion size) and kept (<see cref="CvMatrix"/>, <see cref="PerSize{TKey,T}"/>: live
/// mode's network sizes come and go); nothing managed per frame.
/// </summary>
internal sealed class MotionWarp : IDisposable
{
    /// <summary>
    /// Long side, in pixels, of the lumas the flow is measured on. Measured (bench warp-quality, clip_a and street crowd
    /// at ages 2 and 4, 256x128 mattes): long sides 160 and 256 gave IoUs within 0.001–0.008 of 128's at 1.2–3× its cost.
    /// </summary>
    public const int MotionLongSide = 128;

    // Farnebäck's parameters: a 3-level pyramid (halving) follows motions of several window sizes at the motion size
    // (a few frames of a walking person); a 9-px box window and 2 iterations per level, 5-px polynomial neighbourhoods
    // with OpenCV's suggested polySigma 1.1 for them.
    private const double PyramidScale = 0.5;
    private const int Levels = 3, Window = 9, Iterations = 2, PolyN = 5;
    private const double PolySigma = 1.1;
    private const int Flags = 0;

    private readonly MotionLumaMaker _lumaMaker = new();
    private readonly MotionLuma _current = new();
    private readonly PerSize<(int, int), Matrices> _matrices = new();   // by matte size (the motion size follows from it)
    private readonly CvMatrix _noArray = CvMatrix.Empty();

    /// <summary>Time per warped frame (ms): what the warp adds to the frame path.</summary>
    public StageStats Stats { get; } = new("motion warp");

    /// <summary>The size of the lumas the flow is measured on for a matte of this size (never larger than the matte).</summary>
    public static (int Width, int Height) MotionSize(int matteWidth, int matteHeight) =>
        PipelineSettings.SizeForLongSide(MotionLongSide, matteWidth, matteHeight);

    /// <summary>
    /// Set-up time: makes the matrices for mattes of these sizes, warped to working-size pictures of
    /// <paramref name="pictureWidth"/>×<paramref name="pictureHeight"/>, and warps once at each size, so that the memory
    /// they use is resident before the first frame (see <see cref="Stages.RefineStage.Prepare"/>). Times not recorded.
    /// </summary>
    public void Prepare(IReadOnlyList<(int Width, int Height)> matteSizes, int pictureWidth, int pictureHeight)
    {
        var picture = new RgbImage(pictureWidth, pictureHeight);
        var then = new MotionLuma();
        foreach (var (w, h) in matteSizes)
        {
            var (mw, mh) = MotionSize(w, h);
            _lumaMaker.Make(picture, mw, mh, then);
            Warp(new FloatPlane(w, h), then, picture);
        }
    }

    private Matrices MatricesFor(int matteWidth, int matteHeight) =>
        _matrices.TryGet((matteWidth, matteHeight), out var m) ? m
            : _matrices.Add((matteWidth, matteHeight), new Matrices((matteWidth, matteHeight, MotionSize(matteWidth, matteHeight).Width, MotionSize(matteWidth, matteHeight).Height)));

    /// <summary>
    /// Warps <paramref name="matte"/>, computed from the frame whose luma is <paramref name="matteFrame"/>, to the frame
    /// whose working-size picture is <paramref name="picture"/>. <paramref name="matteFrame"/> must be at
    /// <see cref="MotionSize"/> of the matte's size.
    /// </summary>
    public void Apply(FloatPlane matte, MotionLuma matteFrame, RgbImage picture)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        Warp(matte, matteFrame, picture);
        Stats.Record(start, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    private void Warp(FloatPlane matte, MotionLuma matteFrame, RgbImage picture)
    {
        if ((matteFrame.Width, matteFrame.Height) != MotionSize(matte.Width, matte.Height))
            throw new ArgumentException($"the matte's frame luma is {matteFrame.Width}x{matteFrame.Height}, a {matte} needs {MotionSize(matte.Width, matte.Height)}");
        var m = MatricesFor(matte.Width, matte.Height);
        _lumaMaker.Make(picture, matteFrame.Width, matteFrame.Height, _current);
        int motionPixels = matteFrame.Width * matteFrame.Height;
        _current.Data.AsSpan(0, motionPixels).CopyTo(m.Now.Span<byte>());
        matteFrame.Data.AsSpan(0, motionPixels).CopyTo(m.Then.Span<byte>());

        // flow(p): where the current frame's pixel p was in the matte's frame (now(p) ≈ then(p + flow(p))).
        NativeMethods.HandleException(NativeMethods.video_calcOpticalFlowFarneback(
            m.Now.Input, m.Then.Input, m.Flow.Output, PyramidScale, Levels, Window, Iterations, PolyN, PolySigma, Flags));
        BuildMap(m);
        matte.Data.AsSpan(0, matte.Width * matte.Height).CopyTo(m.Matte.Span<float>());
        NativeMethods.HandleException(NativeMethods.imgproc_remap(
            m.Matte.Input, m.Warped.Output, m.Map.Input, _noArray.Input, (int)InterpolationFlags.Linear, (int)BorderTypes.Replicate, default));
        m.Warped.Span<float>().CopyTo(matte.Data);
    }

    /// <summary>
    /// remap's map at the matte's size: each matte pixel's position plus the flow there. The flow is brought to the
    /// matte's size by OpenCV's bilinear resize (pixel centres aligned, vectorised) and its displacements scaled from
    /// motion pixels to matte pixels; map = grid + flow · scale, a vector loop over the interleaved (x, y) pairs.
    /// </summary>
    private static void BuildMap(Matrices m)
    {
        var (mw, mh, fw, fh) = m.Sizes;
        var flow = m.Flow;
        if ((mw, mh) != (fw, fh))
        {
            NativeMethods.HandleException(NativeMethods.imgproc_resize(flow.Input, m.FlowAtMatte.Output, new Size(mw, mh), 0, 0, (int)InterpolationFlags.Linear));
            flow = m.FlowAtMatte;
        }
        var displacement = flow.Span<float>();
        var map = m.Map.Span<float>();
        var grid = m.Grid.AsSpan();
        var scale = m.Scale;
        int i = 0, lanes = System.Numerics.Vector<float>.Count;
        for (; i <= map.Length - lanes; i += lanes)
            (new System.Numerics.Vector<float>(grid[i..]) + new System.Numerics.Vector<float>(displacement[i..]) * scale).CopyTo(map[i..]);
        for (; i < map.Length; i++) map[i] = grid[i] + displacement[i] * scale[i & 1];
    }

    /// <summary>The matrices of one (matte size, motion size): made at set-up time, the first time the network works at that size.</summary>
    private sealed class Matrices : IDisposable
    {
        public Matrices((int MatteW, int MatteH, int MotionW, int MotionH) sizes)
        {
            Sizes = sizes;
            var (matteWidth, matteHeight, motionWidth, motionHeight) = sizes;
            Now = new CvMatrix(motionWidth, motionHeight, MatType.CV_8UC1);
            Then = new CvMatrix(motionWidth, motionHeight, MatType.CV_8UC1);
            Flow = new CvMatrix(motionWidth, motionHeight, MatType.CV_32FC2);
            FlowAtMatte = new CvMatrix(matteWidth, matteHeight, MatType.CV_32FC2);
            Map = new CvMatrix(matteWidth, matteHeight, MatType.CV_32FC2);
            Grid = new float[2 * matteWidth * matteHeight];
            for (int y = 0, i = 0; y < matteHeight; y++)
            for (int x = 0; x < matteWidth; x++, i += 2)
                (Grid[i], Grid[i + 1]) = (x, y);
            var scale = new float[System.Numerics.Vector<float>.Count];   // Count is even: the pairs line up with the lanes
            for (int k = 0; k < scale.Length; k++) scale[k] = k % 2 == 0 ? (float)matteWidth / motionWidth : (float)matteHeight / motionHeight;
            Scale = new System.Numerics.Vector<float>(scale);
            Matte = new CvMatrix(matteWidth, matteHeight, MatType.CV_32FC1);
            Warped = new CvMatrix(matteWidth, matteHeight, MatType.CV_32FC1);
        }

        public (int MatteW, int MatteH, int MotionW, int MotionH) Sizes { get; }
        public CvMatrix Now { get; }
        public CvMatrix Then { get; }
        public CvMatrix Flow { get; }
        public CvMatrix FlowAtMatte { get; }
        public CvMatrix Map { get; }
        public CvMatrix Matte { get; }
        public CvMatrix Warped { get; }
        public float[] Grid { get; }                          // each matte pixel's (x, y), interleaved like the map
        public System.Numerics.Vector<float> Scale { get; }   // motion pixel → matte pixel: (sx, sy, sx, sy, …)

        public void Dispose()
        {
            foreach (var m in new[] { Now, Then, Flow, FlowAtMatte, Map, Matte, Warped }) m.Dispose();
        }
    }

    public void Dispose()
    {
        _matrices.Clear();
        _noArray.Dispose();
    }
}
