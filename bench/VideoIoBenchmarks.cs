using BenchmarkDotNet.Attributes;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Video;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Bench;

/// <summary>
/// The stages at the two ends of the pipeline, per frame at 720p and 1080p: decode (ffmpeg decoding
/// ../shared/data/videos/talking_head_1080p.mp4, scaled by ffmpeg, read through the pipe, looping), encode (frames
/// written to ffmpeg's H.264 encoder, CRF 18 veryfast, as file outputs do) and convert (RGB to YUYV for the virtual
/// camera, our SIMD converter). Decode and encode are separate ffmpeg processes: their time is the pipe's wait for them,
/// on the same 2 cores.
/// Run: dotnet run -c Release --project bench -- --filter '*VideoIo*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class VideoIoBenchmarks
{
    [Params("1280x720", "1920x1080")]
    public string Frame { get; set; } = "";

    private VideoReader _reader = null!;
    private FfmpegEncoder _encoder = null!;
    private RgbImage _image = null!;
    private byte[] _yuyv = [];
    private readonly YuvConverter _converter = new();
    private string _output = "";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Frame.Split('x');
        int w = int.Parse(parts[0]), h = int.Parse(parts[1]);
        _image = new RgbImage(w, h);
        _reader = new VideoReader(Path.Combine(Paths.SharedData(), "videos", "talking_head_1080p.mp4"), new VideoReaderOptions { Size = (w, h), Loop = true });
        _output = Path.Combine(Path.GetTempPath(), $"stream-matte-bench-encode-{Environment.ProcessId}.mp4");
        _encoder = new FfmpegEncoder(_output, w, h, "30", RawPixelFormat.Rgb24, OutputFormat.H264.CodecArgs);
        _reader.ReadFrame(_image);
        _yuyv = new byte[YuvConverter.FrameBytes(YuvFormat.Yuyv, w, h)];
    }

    [Benchmark]
    public bool Decode_ReadOneFrame() => _reader.ReadFrame(_image);

    [Benchmark]
    public void Encode_WriteOneFrameH264() => _encoder.Write(_image.Pixels);

    [Benchmark]
    public void Convert_RgbToYuyvForVirtualCamera() => _converter.Convert(_image, YuvFormat.Yuyv, _yuyv);

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _encoder.Kill();
        _encoder.Dispose();
        if (File.Exists(_output)) File.Delete(_output);
    }
}
