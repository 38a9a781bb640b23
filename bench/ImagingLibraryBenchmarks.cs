using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.Video;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Bench;

/// <summary>
/// Our image kernels beside OpenCV's (OpenCvSharp4 4.13, the official linux-x64 runtime) in one run, each pair on the
/// same pixels, single-threaded (Cv2.SetNumThreads(1): the pipeline runs one stage per core), so that a kernel is
/// replaced only where OpenCV equals or beats it (issue 19). Mats wrap our pinned buffers: no copies on either side.
/// Pairs: resize (1080p → 512×288, area), background blur (3 box passes on the 4-channel float estimate the
/// compositor blurs; and one 720p case), the fast guided filter (ours vs the same maths from OpenCV's BoxFilter,
/// Resize and arithmetic), RGB → I420 (OpenCV has no RGB → YUYV or → NV12 conversion, so ours stays for those), and
/// an 8-bit greyscale 720p matte to PNG (ours vs Cv2.ImWrite, both zlib's fastest level).
/// Run: dotnet run -c Release --project bench -- --filter '*ImagingLibrary*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ImagingLibraryBenchmarks
{
    private RgbImage _full = null!, _small = null!, _hd = null!;
    private Mat _fullMat = null!, _smallMat = null!, _hdMat = null!;
    private readonly AreaScaler _scaler = new();

    private FloatImage _estimate = null!, _estimateWork = null!, _hdFloat = null!, _hdFloatWork = null!;
    private Mat _estimateMat = null!, _estimateWorkMat = null!, _hdFloatMat = null!, _hdFloatWorkMat = null!;
    private readonly BoxFilter _box = new();

    private FloatImage _guide = null!;
    private FloatPlane _lowMatte = null!, _alpha = null!;
    private readonly GuidedUpsampler _guided = new(new GuidedFilterSettings());
    private Mat _guideMat = null!, _lowMatteMat = null!, _alphaMat = null!, _fullLuma = null!, _fullGrey = null!;
    private readonly Mat _meanI = new(), _meanP = new(), _meanIp = new(), _meanII = new(), _tmp = new(), _tmp2 = new(), _a = new(), _b = new(),
        _aFull = new(), _bFull = new();

    private readonly YuvConverter _yuv = new();
    private byte[] _yuvBuffer = null!;
    private Mat _i420Mat = null!;

    private byte[] _matte8 = null!;
    private Mat _matte8Mat = null!;
    private readonly GrayPngWriter _png = new();
    private readonly int[] _pngParams = [(int)ImwriteFlags.PngCompression, 1];
    private string _pngOurs = "", _pngOpenCv = "";

    private readonly List<GCHandle> _pins = [];

    private IntPtr Pin(Array a)
    {
        var h = GCHandle.Alloc(a, GCHandleType.Pinned);
        _pins.Add(h);
        return h.AddrOfPinnedObject();
    }

    [GlobalSetup]
    public void Setup()
    {
        Cv2.SetNumThreads(1);
        var rng = new Random(1);
        _full = new RgbImage(1920, 1080);
        _hd = new RgbImage(1280, 720);
        rng.NextBytes(_full.Pixels);
        rng.NextBytes(_hd.Pixels);
        _small = new RgbImage(512, 288);
        _fullMat = Mat.FromPixelData(1080, 1920, MatType.CV_8UC3, Pin(_full.Pixels));
        _hdMat = Mat.FromPixelData(720, 1280, MatType.CV_8UC3, Pin(_hd.Pixels));
        _smallMat = Mat.FromPixelData(288, 512, MatType.CV_8UC3, Pin(_small.Pixels));

        // The compositor's blur input: 4-channel float, half the 512-wide working picture.
        _estimate = new FloatImage(256, 144, 4);
        _estimateWork = new FloatImage(256, 144, 4);
        for (int i = 0; i < _estimate.Data.Length; i++) _estimate.Data[i] = (float)rng.NextDouble() * 255;
        _estimateMat = Mat.FromPixelData(144, 256, MatType.CV_32FC4, Pin(_estimate.Data));
        _estimateWorkMat = Mat.FromPixelData(144, 256, MatType.CV_32FC4, Pin(_estimateWork.Data));
        _hdFloat = new FloatImage(1280, 720, 3);
        _hdFloatWork = new FloatImage(1280, 720, 3);
        for (int i = 0; i < _hdFloat.Data.Length; i++) _hdFloat.Data[i] = (float)rng.NextDouble() * 255;
        _hdFloatMat = Mat.FromPixelData(720, 1280, MatType.CV_32FC3, Pin(_hdFloat.Data));
        _hdFloatWorkMat = Mat.FromPixelData(720, 1280, MatType.CV_32FC3, Pin(_hdFloatWork.Data));

        // Guided upsampling 512×288 → 1280×720, a soft-edged ellipse as the matte.
        new AreaScaler().Scale(_hd, _small);
        _guide = new FloatImage(512, 288, 1);
        Luma.Extract(_small, _guide);
        _lowMatte = new FloatPlane(512, 288);
        for (int y = 0; y < 288; y++)
            for (int x = 0; x < 512; x++)
            {
                double d = Math.Sqrt(Math.Pow((x - 256) / 128.0, 2) + Math.Pow((y - 288) / 230.0, 2));
                _lowMatte[x, y] = (float)Math.Clamp((1 - d) * 20 + 0.5, 0, 1);
            }
        _alpha = new FloatPlane(1280, 720);
        _guideMat = Mat.FromPixelData(288, 512, MatType.CV_32FC1, Pin(_guide.Data));
        _lowMatteMat = Mat.FromPixelData(288, 512, MatType.CV_32FC1, Pin(_lowMatte.Data));
        _alphaMat = Mat.FromPixelData(720, 1280, MatType.CV_32FC1, Pin(_alpha.Data));
        _fullLuma = new Mat();
        _fullGrey = new Mat();

        _yuvBuffer = GC.AllocateArray<byte>(YuvConverter.FrameBytes(YuvFormat.I420, 1280, 720), pinned: true);
        _i420Mat = Mat.FromPixelData(720 * 3 / 2, 1280, MatType.CV_8UC1, Pin(_yuvBuffer));

        _matte8 = new byte[1280 * 720];
        for (int i = 0; i < _matte8.Length; i++) _matte8[i] = (byte)Math.Clamp(_alpha.Data[i] * 255, 0, 255);
        _guided.Upsample(_guide, _lowMatte, _hd, _alpha);
        for (int i = 0; i < _matte8.Length; i++) _matte8[i] = (byte)Math.Clamp(_alpha.Data[i] * 255, 0, 255);
        _matte8Mat = Mat.FromPixelData(720, 1280, MatType.CV_8UC1, Pin(_matte8));
        string dir = Path.Combine(Path.GetTempPath(), "stream-matte-bench");
        Directory.CreateDirectory(dir);
        _pngOurs = Path.Combine(dir, "ours.png");
        _pngOpenCv = Path.Combine(dir, "opencv.png");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var h in _pins) h.Free();
    }

    [Benchmark(Description = "resize 1080p→512x288 area: ours")]
    public void ResizeOurs() => _scaler.Scale(_full, _small);

    [Benchmark(Description = "resize 1080p→512x288 area: OpenCV")]
    public void ResizeOpenCv() => Cv2.Resize(_fullMat, _smallMat, new Size(512, 288), interpolation: InterpolationFlags.Area);

    [Benchmark(Description = "blur 256x144x4 r2 ×3: ours")]
    public void BlurEstimateOurs() => BlurOurs(_estimate, _estimateWork, 2);

    [Benchmark(Description = "blur 256x144x4 r2 ×3: OpenCV")]
    public void BlurEstimateOpenCv() => BlurOpenCv(_estimateMat, _estimateWorkMat, 2);

    [Benchmark(Description = "blur 720p x3 r7 ×3: ours")]
    public void BlurHdOurs() => BlurOurs(_hdFloat, _hdFloatWork, 7);

    [Benchmark(Description = "blur 720p x3 r7 ×3: OpenCV")]
    public void BlurHdOpenCv() => BlurOpenCv(_hdFloatMat, _hdFloatWorkMat, 7);

    /// <summary>Three box passes of radius <paramref name="radius"/> over a fresh copy (the filters work in place).</summary>
    private void BlurOurs(FloatImage source, FloatImage work, int radius)
    {
        Array.Copy(source.Data, work.Data, source.Data.Length);
        _box.Apply(work, radius, passes: 3);
    }

    private static void BlurOpenCv(Mat source, Mat work, int radius)
    {
        source.CopyTo(work);
        var size = new Size(2 * radius + 1, 2 * radius + 1);
        for (int pass = 0; pass < 3; pass++) Cv2.Blur(work, work, size, borderType: BorderTypes.Replicate);
    }

    [Benchmark(Description = "guided upsample 512x288→720p: ours")]
    public void GuidedOurs() => _guided.Upsample(_guide, _lowMatte, _hd, _alpha);

    /// <summary>The same fast guided filter (r 3, ε 1e-3) from OpenCV's primitives.</summary>
    [Benchmark(Description = "guided upsample 512x288→720p: OpenCV")]
    public void GuidedOpenCv()
    {
        var k = new Size(7, 7);
        Cv2.Blur(_guideMat, _meanI, k, borderType: BorderTypes.Replicate);
        Cv2.Blur(_lowMatteMat, _meanP, k, borderType: BorderTypes.Replicate);
        Cv2.Multiply(_guideMat, _lowMatteMat, _tmp);
        Cv2.Blur(_tmp, _meanIp, k, borderType: BorderTypes.Replicate);
        Cv2.Multiply(_guideMat, _guideMat, _tmp);
        Cv2.Blur(_tmp, _meanII, k, borderType: BorderTypes.Replicate);
        Cv2.Multiply(_meanI, _meanP, _tmp);
        Cv2.Subtract(_meanIp, _tmp, _tmp);          // covariance
        Cv2.Multiply(_meanI, _meanI, _tmp2);
        Cv2.Subtract(_meanII, _tmp2, _tmp2);        // variance
        Cv2.Add(_tmp2, new Scalar(1e-3), _tmp2);
        Cv2.Divide(_tmp, _tmp2, _a);
        Cv2.Multiply(_a, _meanI, _tmp);
        Cv2.Subtract(_meanP, _tmp, _b);
        Cv2.Blur(_a, _a, k, borderType: BorderTypes.Replicate);
        Cv2.Blur(_b, _b, k, borderType: BorderTypes.Replicate);
        Cv2.Resize(_a, _aFull, new Size(1280, 720), interpolation: InterpolationFlags.Linear);
        Cv2.Resize(_b, _bFull, new Size(1280, 720), interpolation: InterpolationFlags.Linear);
        Cv2.CvtColor(_hdMat, _fullGrey, ColorConversionCodes.RGB2GRAY);
        _fullGrey.ConvertTo(_fullLuma, MatType.CV_32FC1, 1 / 255.0);
        Cv2.Multiply(_aFull, _fullLuma, _tmp);
        Cv2.Add(_tmp, _bFull, _tmp);
        Cv2.Max(_tmp, 0.0, _tmp);
        Cv2.Min(_tmp, 1.0, _alphaMat);
    }

    [Benchmark(Description = "RGB→I420 720p: ours")]
    public void I420Ours() => _yuv.Convert(_hd, YuvFormat.I420, _yuvBuffer);

    [Benchmark(Description = "RGB→I420 720p: OpenCV")]
    public void I420OpenCv() => Cv2.CvtColor(_hdMat, _i420Mat, ColorConversionCodes.RGB2YUV_I420);

    [Benchmark(Description = "grey 720p matte → PNG file: ours")]
    public void PngOurs() => _png.Write(_pngOurs, _matte8, 1280, 720);

    [Benchmark(Description = "grey 720p matte → PNG file: OpenCV")]
    public void PngOpenCv() => Cv2.ImWrite(_pngOpenCv, _matte8Mat, _pngParams);
}
