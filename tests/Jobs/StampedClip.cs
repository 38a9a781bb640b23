using System.Globalization;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Pipeline.Video;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>
/// A clip made by ffmpeg (testsrc2, moving) with each frame's number drawn along its top edge in the blocks
/// <see cref="FrameStamp"/> reads (20 drawbox filters, one per bit, enabled by the frame number n), with a tone as audio,
/// short keyframe intervals and B-frames: what a chunk's seek must get exactly right.
/// </summary>
public static class StampedClip
{
    public static string Make(string directory, int frames, int width = 320, int height = 180, int fps = 30, string name = "stamped.mp4")
    {
        string path = Path.Combine(directory, name);
        int block = FrameStamp.BlockSize(width);
        var filter = new List<string> { $"drawbox=x=0:y=0:w={width}:h={block}:color=black:t=fill" };
        for (int bit = 0; bit < FrameStamp.Bits; bit++)
            filter.Add($"drawbox=x={bit * block}:y=0:w={block}:h={block}:color=white:t=fill:enable='eq(mod(floor(n/{1 << bit}),2),1)'");
        string seconds = (frames / (double)fps).ToString("0.###", CultureInfo.InvariantCulture);
        Tool.Ffmpeg("-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={fps}", "-f", "lavfi", "-i", "sine=frequency=440",
            "-vf", string.Join(",", filter), "-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-t", seconds,
            "-c:v", "libx264", "-g", "12", "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", path);
        return path;
    }

    /// <summary>Every frame of a video (or PNG sequence) as rgb24.</summary>
    public static List<byte[]> Frames(string path)
    {
        using var reader = new VideoReader(path);
        var frames = new List<byte[]>();
        var image = new RgbImage(reader.Width, reader.Height);
        while (reader.ReadFrame(image)) frames.Add(image.Pixels.ToArray());
        return frames;
    }

    /// <summary>The frame numbers stamped in a video's frames, in order.</summary>
    public static List<long> Stamps(string path)
    {
        using var reader = new VideoReader(path);
        var image = new RgbImage(reader.Width, reader.Height);
        var stamps = new List<long>();
        while (reader.ReadFrame(image)) stamps.Add(FrameStamp.Read(image));
        return stamps;
    }

    /// <summary>PSNR in dB over all frames of two equally long videos (∞ when identical).</summary>
    public static double Psnr(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b)
    {
        Assert.Equal(a.Count, b.Count);
        double sum = 0;
        long n = 0;
        for (int f = 0; f < a.Count; f++)
        {
            Assert.Equal(a[f].Length, b[f].Length);
            for (int i = 0; i < a[f].Length; i++)
            {
                double d = a[f][i] - b[f][i];
                sum += d * d;
            }
            n += a[f].Length;
        }
        double mse = sum / n;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    public static bool HasAudio(string path) => MediaInfo.Probe(path).HasAudio;
}

/// <summary>Raw frames decoded by ffmpeg with the given decoder options (e.g. libvpx-vp9, which keeps VP9's alpha).</summary>
public static class RawFrames
{
    public static List<byte[]> Read(string path, int width, int height, string pixelFormat, int bytesPerPixel, params string[] inputOptions)
    {
        var info = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-loglevel", "error" }.Concat(inputOptions).Concat(["-i", path, "-f", "rawvideo", "-pix_fmt", pixelFormat, "-"])) info.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var frames = new List<byte[]>();
        int size = width * height * bytesPerPixel;
        var stream = p.StandardOutput.BaseStream;
        while (true)
        {
            var frame = new byte[size];
            int read = stream.ReadAtLeast(frame, size, throwOnEndOfStream: false);
            if (read == 0) break;
            Assert.Equal(size, read);
            frames.Add(frame);
        }
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "ffmpeg did not finish");
        Assert.True(p.ExitCode == 0, $"ffmpeg could not read {path}: {stderr.Result}");
        return frames;
    }
}
