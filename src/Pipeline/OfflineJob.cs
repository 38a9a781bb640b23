using System.Diagnostics;
using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline;

/// <summary>Result of an offline run.</summary>
public sealed record OfflineSummary(long FramesIn, long FramesOut, TimeSpan Elapsed, bool Cancelled)
{
    public double FramesPerSecond => Elapsed.TotalSeconds > 0 ? FramesOut / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// File → file, every frame kept and in order: decode (ffmpeg) → matte → upsample → composite → encode
/// (ffmpeg, audio copied). This is the simple sequential form; one frame is in flight at a time. On
/// cancellation (Ctrl-C) the frames done so far are finalised into a playable file.
/// </summary>
public sealed class OfflineJob(IMattingModel model, Background background)
{
    /// <param name="progress">Called after each frame with (frames done, total frames if known).</param>
    public OfflineSummary Run(string input, string output, Action<long, int?>? progress = null, CancellationToken cancel = default)
    {
        var info = MediaInfo.Probe(input);
        // 4:2:0 output needs even sizes: an odd-sized input is scaled by ffmpeg to the even size just below.
        var size = (info.Width & ~1, info.Height & ~1);
        using var reader = new VideoReader(input, size == (info.Width, info.Height) ? null : size);
        using var writer = new VideoWriter(output, reader.Width, reader.Height, info.FrameRateText, info.HasAudio ? input : null);
        var frame = new RgbImage(reader.Width, reader.Height);
        var fullAlpha = new FloatPlane(reader.Width, reader.Height);
        var upsampler = new MatteUpsampler();
        var compositor = new Compositor(background);
        model.Configure(reader.Width, reader.Height);
        var clock = Stopwatch.StartNew();
        bool cancelled = false;
        while (reader.ReadFrame(frame))
        {
            var matte = model.Process(frame);
            upsampler.Upsample(matte.Alpha, fullAlpha);
            compositor.Apply(frame, fullAlpha);
            writer.Write(frame);
            progress?.Invoke(writer.FramesWritten, info.FrameCount);
            if (cancel.IsCancellationRequested) { cancelled = true; break; }
        }
        writer.Complete();
        return new OfflineSummary(reader.FramesRead, writer.FramesWritten, clock.Elapsed, cancelled);
    }
}
