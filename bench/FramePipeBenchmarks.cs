using BenchmarkDotNet.Attributes;
using FFMpegCore;
using FFMpegCore.Pipes;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Bench;

/// <summary>
/// Raw frames between ffmpeg and C#, in one run, 60 frames of 1280×720 rgb24 per operation. Decode: our pipe (ffmpeg's
/// stdout read in exact frame-sized chunks, VideoReader) beside FFMpegCore 6's StreamPipeSink (a named pipe, a Unix
/// socket, that FFMpegCore creates). Encode: our FfmpegEncoder, which since issue 19 writes through FFMpegCore's socket
/// from the caller's thread (FramePipeSource), beside FFMpegCore's own RawVideoPipeSource, which pulls frames on its task;
/// the stdin pipe it replaced was the slower one (564.7 ± 34.8 ms against 455.7 ± 34.3 ms, bench/results). Transport only: the
/// input is raw video in a .nut file (no decoding) and the encoder writes raw video into a .nut file (no encoding),
/// so the figures are the pipes' cost and each process's start (issue 19: keep our pipes only if they are faster). The
/// clip is probed once in set-up, so neither side's figure includes an ffprobe run.
/// Run: dotnet run -c Release --project bench -- --filter '*FramePipe*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]   // ShortRun's 3 iterations left the encode pair inside its own noise
public class FramePipeBenchmarks
{
    private const int Width = 1280, Height = 720, Frames = 60;
    private string _input = "", _output = "";
    private readonly RgbImage _frame = new(Width, Height);

    [GlobalSetup]
    public void Setup()
    {
        _input = Path.Combine(Path.GetTempPath(), $"stream-matte-bench-raw-{Environment.ProcessId}.nut");
        using var make = FfmpegProcess.Start(["-y", "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=30", "-frames:v", $"{Frames}",
            "-c:v", "rawvideo", "-pix_fmt", "rgb24", _input]);
        make.WaitForExit();
        new Random(2).NextBytes(_frame.Pixels);
        _output = Path.Combine(Path.GetTempPath(), $"stream-matte-bench-out-{Environment.ProcessId}.nut");
        _info = MediaInfo.Probe(_input);   // once: FFMpegCore's side is told the format too, so neither row runs ffprobe
    }

    private MediaInfo _info = null!;

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_input);
        File.Delete(_output);
    }

    [Benchmark(Description = "decode 60 frames: our stdout pipe")]
    public long DecodeOurs()
    {
        using var reader = new VideoReader(_input, new VideoReaderOptions(), _info);
        while (reader.ReadFrame(_frame)) { }
        return reader.FramesRead;
    }

    [Benchmark(Description = "decode 60 frames: FFMpegCore StreamPipeSink")]
    public long DecodeFfmpegCore()
    {
        long frames = 0;
        var sink = new StreamPipeSink(async (stream, token) =>
        {
            while (await stream.ReadAtLeastAsync(_frame.Pixels, _frame.Pixels.Length, throwOnEndOfStream: false, token) == _frame.Pixels.Length) frames++;
        });
        FFMpegArguments.FromFileInput(_input)
            .OutputToPipe(sink, o => o.ForceFormat("rawvideo").WithCustomArgument("-pix_fmt rgb24"))
            .ProcessSynchronously();
        return frames;
    }

    [Benchmark(Description = "encode 60 frames: FfmpegEncoder (FFMpegCore socket, caller writes)")]
    public void EncodeOurs()
    {
        using var encoder = new FfmpegEncoder(_output, Width, Height, "30", RawPixelFormat.Rgb24, ["-c:v", "rawvideo", "-f", "nut"]);
        for (int i = 0; i < Frames; i++) encoder.Write(_frame.Pixels);
        encoder.Complete();
    }

    [Benchmark(Description = "encode 60 frames: FFMpegCore RawVideoPipeSource")]
    public void EncodeFfmpegCore()
    {
        var source = new RawVideoPipeSource(FramesOf(_frame)) { FrameRate = 30 };
        FFMpegArguments.FromPipeInput(source)
            .OutputToFile(_output, overwrite: true, o => o.WithVideoCodec("rawvideo").ForceFormat("nut"))
            .ProcessSynchronously();
    }

    private static IEnumerable<IVideoFrame> FramesOf(RgbImage frame)
    {
        var f = new RgbFrame(frame);
        for (int i = 0; i < Frames; i++) yield return f;
    }

    private sealed class RgbFrame(RgbImage image) : IVideoFrame
    {
        public int Width => image.Width;
        public int Height => image.Height;
        public string Format => "rgb24";
        public string PixelFormat => "rgb24";
        public void Serialize(Stream pipe) => pipe.Write(image.Pixels);
        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(image.Pixels, token).AsTask();
    }
}
