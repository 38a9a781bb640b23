using System.Diagnostics;
using FFMpegCore;
using FFMpegCore.Pipes;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Bench;

/// <summary>
/// The two encode rows of <see cref="FramePipeBenchmarks"/> in alternating rounds: BenchmarkDotNet runs all of one
/// row's iterations and then the other's, so this machine's drift between minutes lands on one row; here each round
/// runs both, in turns going first, and the paired ratio cancels the drift. Transport only (60 frames of 720p rgb24 into
/// raw video in .nut): <see cref="FfmpegEncoder"/> (FFMpegCore's socket, written from the caller) against FFMpegCore's
/// own RawVideoPipeSource (frames pulled from an enumerator on its task).
/// <code>dotnet run -c Release --project bench -- encode-rounds [ROUNDS]</code>
/// </summary>
internal static class EncodePipeRounds
{
    private const int Width = 1280, Height = 720, Frames = 60;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 20;
        var frame = new byte[Width * Height * 3];
        new Random(2).NextBytes(frame);
        string output = Path.Combine(Path.GetTempPath(), $"stream-matte-encode-rounds-{Environment.ProcessId}.nut");
        var ours = new List<double>();
        var theirs = new List<double>();
        try
        {
            for (int r = -2; r < rounds; r++)   // two rounds of warm-up (JIT, ffmpeg's first start)
            {
                bool oursFirst = r % 2 == 0;
                double a = 0, b = 0;
                if (oursFirst) a = Time(() => Ours(frame, output));
                b = Time(() => Theirs(frame, output));
                if (!oursFirst) a = Time(() => Ours(frame, output));
                if (r < 0) continue;
                ours.Add(a);
                theirs.Add(b);
            }
        }
        finally { File.Delete(output); }
        var ratios = ours.Zip(theirs, (a, b) => a / b).Order().ToList();
        Console.WriteLine($"encode {Frames} frames of {Width}x{Height}, {rounds} rounds: FfmpegEncoder p50 {Median(ours):0} ms, " +
                          $"RawVideoPipeSource p50 {Median(theirs):0} ms, paired ratio p50 {Median(ratios):0.000} " +
                          $"(middle half {ratios[ratios.Count / 4]:0.000}–{ratios[3 * ratios.Count / 4]:0.000})");
        return 0;
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static void Ours(byte[] frame, string output)
    {
        using var encoder = new FfmpegEncoder(output, Width, Height, "30", RawPixelFormat.Rgb24, ["-c:v", "rawvideo", "-f", "nut"]);
        for (int i = 0; i < Frames; i++) encoder.Write(frame);
        encoder.Complete();
    }

    private static void Theirs(byte[] frame, string output)
    {
        var source = new RawVideoPipeSource(Enumerable.Repeat<IVideoFrame>(new RawFrame(frame), Frames)) { FrameRate = 30 };
        FFMpegArguments.FromPipeInput(source)
            .OutputToFile(output, overwrite: true, o => o.WithVideoCodec("rawvideo").ForceFormat("nut"))
            .ProcessSynchronously();
    }

    private sealed class RawFrame(byte[] pixels) : IVideoFrame
    {
        public int Width => EncodePipeRounds.Width;
        public int Height => EncodePipeRounds.Height;
        public string Format => "rgb24";
        public string PixelFormat => "rgb24";
        public void Serialize(Stream pipe) => pipe.Write(pixels);
        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(pixels, token).AsTask();
    }
}
