using System.Diagnostics;
using StreamMatte.Imaging;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Pipeline.Video;

using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Video;

/// <summary>The ffmpeg readers and writers on their own: exactness, sequences, cameras, and failures.</summary>
public class VideoIoTests
{
    private static string TempDir() => Tool.TempDir();

    internal static void Ffmpeg(params string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-y" }.Concat(args)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffmpeg failed: {err}");
    }

    [Fact]
    public void The_frame_pipe_from_the_decoder_holds_a_mebibyte_not_the_default_64_KiB()
    {
        // Frames are megabytes: at 64 KiB each one crosses in about a hundred writes (bench/results/FramePipeBenchmarks.md).
        if (!OperatingSystem.IsLinux()) return;
        using var decoder = FfmpegProcess.Start(["-f", "lavfi", "-i", "testsrc2=size=16x16:rate=1", "-frames:v", "1", "-f", "rawvideo", "pipe:1"]);
        Assert.Equal(1 << 20, FfmpegProcess.PipeSize(decoder.StandardOutput));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("two words")]
    [InlineData("say \"cheese\"")]
    [InlineData("C:\\dir\\")]          // a trailing backslash must not eat the closing quote
    [InlineData("a\\\"b")]              // backslashes before a quote
    [InlineData("")]
    public void Arguments_survive_the_single_command_line_FFMpegCore_hands_to_the_process(string argument)
    {
        // FFMpegCore starts ffmpeg with one Arguments string; .NET splits it again. What we put in must come out.
        var info = new ProcessStartInfo("printf") { RedirectStandardOutput = true, UseShellExecute = false,
            Arguments = "%s\\0 " + ProcessArguments.Join(["first", argument, "last"]) };
        using var p = Process.Start(info)!;
        string said = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(["first", argument, "last"], said.TrimEnd('\0').Split('\0'));
        Assert.Equal(argument, SplitOne("\"" + ProcessArguments.EscapeInQuotes(argument) + "\""));
    }

    /// <summary>How .NET splits one quoted argument (the way FFMpegCore writes paths: "PATH").</summary>
    private static string SplitOne(string commandLine)
    {
        var info = new ProcessStartInfo("printf") { RedirectStandardOutput = true, UseShellExecute = false, Arguments = "%s " + commandLine };
        using var p = Process.Start(info)!;
        string said = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return said;
    }

    [Fact]
    public void An_encoder_refused_by_ffmpeg_says_why_in_ffmpegs_words_and_leaves_nothing()
    {
        string dir = TempDir();
        string path = Path.Combine(dir, "out.mkv");
        var e = Assert.Throws<FfmpegException>(() =>
        {
            using var encoder = new FfmpegEncoder(path, 64, 48, "25", RawPixelFormat.Rgb24, ["-c:v", "no_such_codec"]);
            encoder.Write(new byte[64 * 48 * 3]);
            encoder.Complete();
        });
        Assert.Contains("no_such_codec", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void An_encoder_killed_while_writing_fails_the_write_and_leaves_nothing()
    {
        string dir = TempDir();
        string path = Path.Combine(dir, "out.mkv");
        var e = Assert.Throws<FfmpegException>(() =>
        {
            using var encoder = new FfmpegEncoder(path, 640, 480, "25", RawPixelFormat.Rgb24, ["-c:v", "ffv1"]);
            var frame = new byte[encoder.FrameBytes];
            encoder.Write(frame);
            encoder.Kill();
            for (int i = 0; i < 1000; i++) encoder.Write(frame);   // the socket's buffer fills, then the write fails
        });
        Assert.Contains("the encoder stopped after", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void A_path_with_spaces_and_quotes_is_written_where_asked()
    {
        string dir = Path.Combine(TempDir(), "my \"clips\" folder");
        string path = Path.Combine(dir, "take 1.mkv");
        using (var encoder = new FfmpegEncoder(path, 64, 48, "25", RawPixelFormat.Rgb24, ["-c:v", "ffv1"]))
        {
            encoder.Write(new byte[encoder.FrameBytes]);
            encoder.Complete();
        }
        Assert.Equal(1, MediaInfo.Probe(path, countFrames: true).FrameCount);   // probing such a path works too
        Assert.Equal(["take 1.mkv"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Lossless_round_trip_gives_back_every_frame_bit_identical()
    {
        string dir = TempDir();
        string clip = Path.Combine(dir, "generated.mkv");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=1", "-c:v", "ffv1", "-pix_fmt", "bgr0", clip);
        var frames = new List<byte[]>();
        using (var reader = new VideoReader(clip))
        {
            var img = new RgbImage(reader.Width, reader.Height);
            while (reader.ReadFrame(img)) frames.Add((byte[])img.Pixels.Clone());
        }
        Assert.Equal(25, frames.Count);
        string copy = Path.Combine(dir, "copy.mkv");
        var format = OutputFormat.For(copy, "ffv1", OutputContent.Composite);
        using (var encoder = new FfmpegEncoder(copy, 320, 180, "25", format.Pixels, format.CodecArgs))
        {
            foreach (var f in frames) encoder.Write(f);
            encoder.Complete();
        }
        using var again = new VideoReader(copy);
        var back = new RgbImage(320, 180);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(again.ReadFrame(back), $"frame {i} missing after the round trip");
            Assert.True(frames[i].AsSpan().SequenceEqual(back.Pixels), $"frame {i} differs after the lossless round trip");
        }
        Assert.False(again.ReadFrame(back));
    }

    [Theory]
    [InlineData("still.jpg")]
    [InlineData("still.png")]
    public void A_still_picture_is_one_frame(string name)
    {
        // ffprobe gives a picture no frame count; the pipeline needs it (progress, and people numbered at once on a still).
        string path = Path.Combine(TempDir(), name);
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=1", "-frames:v", "1", path);
        Assert.Equal(1, MediaInfo.Probe(path).FrameCount);
        using var source = new FileSource(path);
        Assert.Equal(1, source.Format.FrameCount);
    }

    [Fact]
    public void An_image_sequence_is_read_in_order_with_its_frame_count()
    {
        string dir = TempDir();
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=0.7", Path.Combine(dir, "frame_%03d.png"));
        string pattern = Path.Combine(dir, "frame_%03d.png");
        Assert.True(ImageSequence.IsPattern(pattern));
        Assert.Equal(7, ImageSequence.Count(pattern));
        using var source = new FileSource(pattern);
        Assert.Equal(7, source.Format.FrameCount);
        var img = new RgbImage(64, 48);
        int n = 0;
        while (source.Read(img, out _)) n++;
        Assert.Equal(7, n);
    }

    [Fact]
    public void A_sequence_whose_first_files_are_missing_is_a_clear_error()
    {
        var e = Assert.Throws<FileNotFoundException>(() => new FileSource(Path.Combine(TempDir(), "none_%04d.png")));
        Assert.Contains("names an image sequence", e.Message);
    }

    [Fact]
    public void A_truncated_mp4_is_a_clear_error_not_a_hang_or_silent_success()
    {
        string dir = TempDir();
        string clip = Path.Combine(dir, "whole.mp4");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip);
        var bytes = File.ReadAllBytes(clip);
        string cut = Path.Combine(dir, "cut.mp4");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        // Without faststart the index (moov) is at the end: half a file has none, and ffprobe must say so.
        var e = Assert.ThrowsAny<Exception>(() =>
        {
            using var source = new FileSource(cut);
            var img = new RgbImage(source.Format.Width, source.Format.Height);
            while (source.Read(img, out _)) { }
        });
        Assert.True(e is FfmpegException, e.ToString());
        Assert.Contains("cut.mp4", e.Message);
    }

    [Fact]
    public void A_faststart_mp4_cut_short_is_an_error_not_a_shorter_output()
    {
        string dir = TempDir();
        string clip = Path.Combine(dir, "whole.mp4");
        // The index up front: ffmpeg decodes what is there and stops without complaint.
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", clip);
        var bytes = File.ReadAllBytes(clip);
        string cut = Path.Combine(dir, "cut.mp4");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        using var source = new FileSource(cut);
        Assert.Equal(50, source.Format.FrameCount);
        var img = new RgbImage(source.Format.Width, source.Format.Height);
        var e = Assert.Throws<FfmpegException>(() => { while (source.Read(img, out _)) { } });
        Assert.Contains("of the 50 frames its header announces", e.Message);
    }

    [Fact]
    public void Camera_names_map_to_devices_and_the_ffmpeg_demuxer_options()
    {
        Assert.Equal("/dev/video0", CameraSource.DevicePath("cam0"));
        Assert.Equal("/dev/video12", CameraSource.DevicePath("cam12"));
        Assert.True(CameraSource.IsCamera("cam0"));
        Assert.True(CameraSource.IsCamera("/dev/video3"));
        Assert.False(CameraSource.IsCamera("camera.mp4"));
        Assert.Equal(["-f", "v4l2", "-input_format", "mjpeg", "-video_size", "1280x720", "-framerate", "30", "-thread_queue_size", "4"],
            CameraSource.Arguments(1280, 720, 30, CameraFormat.Mjpeg));
        Assert.Contains("yuyv422", CameraSource.Arguments(640, 480, 15, CameraFormat.Yuyv));
    }

    [Fact]
    public void A_missing_camera_is_a_clear_error_naming_what_the_machine_has()
    {
        var e = Assert.Throws<FileNotFoundException>(() => new CameraSource("cam63"));
        Assert.Contains("camera 'cam63' (/dev/video63) not found", e.Message);
        Assert.Contains("stream-matte doctor", e.Message);
    }
}
