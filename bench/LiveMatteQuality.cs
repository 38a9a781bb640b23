using System.Text.Json;
using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Bench;

/// <summary>
/// How good the live matte is against the same model run offline on the very same frame (issue 20): a clip is played
/// at its rate through the live pipeline with the defaults (the live default model, <c>--model-size auto</c>), every
/// output frame's full-size matte is kept; then the same model at the size the live run ended at runs offline on every
/// frame. Per clip: mean IoU of α &gt; 0.5 over the frames the live run put out, the live and offline flicker (mean |Δα|
/// on still pixels, <see cref="FlickerMeter"/>), the matte's age and refresh rate, frames out; and, beside that headline,
/// the live run's schedule replayed on raw offline mattes (<see cref="Replay"/>: what the age, the warp and the size
/// changes do, apart from the load).
/// <code>dotnet run -c Release --project bench -- live-quality CLIP [--size WxH] [--fps N] [--frames N] [--motion-warp on|off]</code>
/// Prints one JSON line; bench/live-quality.sh runs it per clip and writes the table.
/// </summary>
internal static class LiveMatteQuality
{
    public static int Run(string[] args)
    {
        string clip = args[0];
        (int, int)? size = ToolArguments.Size(args);
        double fps = ToolArguments.Value(args, "--fps") is { } f ? double.Parse(f, System.Globalization.CultureInfo.InvariantCulture) : 30;
        int frames = ToolArguments.Value(args, "--frames") is { } n ? int.Parse(n) : 300;
        bool motionWarp = (ToolArguments.Value(args, "--motion-warp") ?? "on") == "on";

        string modelPath = ToolArguments.LiveDefaultModelPath();
        var session = new SessionSettings { Device = ExecutionDevice.Cpu, AllowSpinning = false };

        // Live, as the command runs it: the session made on a lowered thread, so its workers are lowered too.
        IMattingModel? liveModel = null;
        var opener = new Thread(() => { new PipelineSettings().LiveNetworkPriority.ApplyToCurrentThread(); liveModel = ModelCatalog.Open(modelPath, session); });
        opener.Start();
        opener.Join();
        var live = new KeepingSink();
        MattingPipeline livePipeline;
        PipelineSummary liveSummary;
        using (liveModel)
        using (var source = new RealtimePacer(new FileSource(clip, size, fps, frames)))
        {
            livePipeline = new MattingPipeline(source, liveModel!, live, new PipelineSettings { AutoModelSize = new AutoModelSize(), LiveMotionWarp = motionWarp });
            liveSummary = livePipeline.Run();
        }
        int longSide = livePipeline.NetworkLongSide;

        var offline = new KeepingSink();
        using (var model = ModelCatalog.Open(modelPath, session))
        using (var source = new FileSource(clip, size, fps, frames))
            new MattingPipeline(source, model, offline, new PipelineSettings { Mode = PipelineMode.Offline, InferenceLongSide = longSide }).Run();

        // Per frame the live run put out: IoU of α > 0.5 against the offline matte of that frame; flicker of each sequence.
        var ious = new List<double>();
        var liveFlicker = new FlickerMeter();
        var offlineFlicker = new FlickerMeter();
        var (w, h) = (offline.Width, offline.Height);
        var liveAlpha = new FloatPlane(w, h);
        var offlineAlpha = new FloatPlane(w, h);
        var luma = new FloatImage(w, h, 1);
        var picture = new RgbImage(w, h);
        using (var source = new FileSource(clip, size, fps, frames))
            for (long index = 0; source.Read(picture, out _); index++)
            {
                if (!live.Mattes.TryGetValue(index, out var l) || !offline.Mattes.TryGetValue(index, out var o)) continue;
                ious.Add(Iou(l, o));
                Luma.Extract(picture, luma);
                ToPlane(l, liveAlpha);
                ToPlane(o, offlineAlpha);
                liveFlicker.Add(liveAlpha, luma);
                offlineFlicker.Add(offlineAlpha, luma);
            }
        var replay = Replay(clip, size, fps, frames, live.Schedule, longSide);
        var (a50, a95, _) = livePipeline.MatteAge!.Percentiles();
        var (w50, w95, _) = livePipeline.MotionWarpTime?.Percentiles() ?? (double.NaN, double.NaN, double.NaN);
        var result = new
        {
            clip = Path.GetFileName(clip),
            size = $"{w}x{h}",
            model = Path.GetFileName(modelPath),
            frames_in = liveSummary.FramesIn,
            frames_out = liveSummary.FramesOut,
            network = livePipeline.NetworkSizeText,
            size_changes = livePipeline.SizeController?.Changes ?? 0,
            mattes_per_second = livePipeline.MatteRefresh!.Count / liveSummary.Elapsed.TotalSeconds,
            age_p50 = a50,
            age_p95 = a95,
            motion_warp = motionWarp ? "on" : "off",
            warp_ms_p50 = w50,
            warp_ms_p95 = w95,
            warp_ms_mean = livePipeline.MotionWarpTime?.MeanMilliseconds ?? double.NaN,
            mean_iou = ious.Count > 0 ? ious.Average() : double.NaN,
            min_iou = ious.Count > 0 ? ious.Min() : double.NaN,
            iou_own_size_stale = replay.Stale,
            iou_own_size_warped = replay.Warped,
            iou_size_only = replay.SizeOnly,
            flicker_live = liveFlicker.StaticFlicker,
            flicker_offline = offlineFlicker.StaticFlicker,
        };
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return 0;
    }

    /// <summary>
    /// Diagnostics beside the headline, paired and apart from the machine's load: the live run's schedule (for each frame
    /// out, the frame its matte came from and the matte's size) replayed on the raw offline mattes (no smoothing) at each
    /// size the live run used. Stale: the matte's frame's matte against the frame's own, both at the live matte's size
    /// (what the matte's age costs); Warped: the same after <see cref="MotionWarp"/> from the matte's frame to the frame;
    /// SizeOnly: the frame's own matte at the live size against the one at the end size (what the size changes cost).
    /// Mean IoU of α &gt; 0.5 at the matte's size over the frames out.
    /// </summary>
    private static (double Stale, double Warped, double SizeOnly) Replay(string clip, (int, int)? size, double fps, int frames,
        Dictionary<long, (long From, int Width, int Height)> schedule, int endLongSide)
    {
        string modelPath = ToolArguments.LiveDefaultModelPath();
        var bySize = new Dictionary<(int, int), RawMatteSink>();
        RawMatteSink? atEnd = null;
        foreach (int longSide in schedule.Values.Select(v => Math.Max(v.Width, v.Height)).Append(endLongSide).Distinct())
        {
            var sink = new RawMatteSink();
            using (var model = ModelCatalog.Open(modelPath, new SessionSettings { Device = ExecutionDevice.Cpu, AllowSpinning = false }))
            using (var source = new FileSource(clip, size, fps, frames))
                new MattingPipeline(source, model, sink, new PipelineSettings
                {
                    Mode = PipelineMode.Offline, InferenceLongSide = longSide, Smoothing = new SmoothingSettings(0), Upsampling = Upsampling.Bilinear,
                }).Run();
            bySize[(sink.Mattes[0].Width, sink.Mattes[0].Height)] = sink;
            if (longSide == endLongSide) atEnd = sink;
        }
        using var warp = new MotionWarp();
        var maker = new MotionLumaMaker();
        var luma = new MotionLuma();
        var moved = new FloatPlane(1, 1);
        double stale = 0, warped = 0, sizeOnly = 0;
        int count = 0;
        foreach (var (index, (from, w, h)) in schedule)
        {
            if (!bySize.TryGetValue((w, h), out var offline) || index >= offline.Mattes.Count) continue;   // a size the offline runs did not give
            var then = offline.Mattes[(int)from];
            var own = offline.Mattes[(int)index];
            moved.Resize(w, h);
            Array.Copy(then.Data, moved.Data, w * h);
            if (from < index)
            {
                maker.Make(offline.Pictures[(int)from], offline.Pictures[(int)from].Width, offline.Pictures[(int)from].Height, luma);
                warp.Apply(moved, luma, offline.Pictures[(int)index]);
            }
            stale += PlaneIou(then, own);
            warped += PlaneIou(moved, own);
            sizeOnly += PlaneIou(own, atEnd!.Mattes[(int)index]);
            count++;
        }
        return count == 0 ? (double.NaN, double.NaN, double.NaN) : (stale / count, warped / count, sizeOnly / count);
    }

    /// <summary>IoU of α &gt; 0.5 of two planes, compared on the first one's grid (nearest sampling of the second).</summary>
    private static double PlaneIou(FloatPlane a, FloatPlane b)
    {
        long both = 0, either = 0;
        for (int y = 0; y < a.Height; y++)
        {
            int by = Math.Min(b.Height - 1, (int)((y + 0.5) * b.Height / a.Height));
            for (int x = 0; x < a.Width; x++)
            {
                int bx = Math.Min(b.Width - 1, (int)((x + 0.5) * b.Width / a.Width));
                bool p = a.Data[y * a.Width + x] > 0.5f, q = b.Data[by * b.Width + bx] > 0.5f;
                if (p && q) both++;
                if (p || q) either++;
            }
        }
        return either == 0 ? 1 : (double)both / either;
    }

    private static double Iou(byte[] a, byte[] b)
    {
        long both = 0, either = 0;
        for (int i = 0; i < a.Length; i++)
        {
            bool x = a[i] > 127, y = b[i] > 127;
            if (x && y) both++;
            if (x || y) either++;
        }
        return either == 0 ? 1 : (double)both / either;
    }

    private static void ToPlane(byte[] bytes, FloatPlane plane)
    {
        for (int i = 0; i < bytes.Length; i++) plane.Data[i] = bytes[i] / 255f;
    }

    /// <summary>Keeps every frame's full-size matte as bytes, by frame index (a measuring sink: it allocates per frame).</summary>
    private sealed class KeepingSink : IFrameSink
    {
        public Dictionary<long, byte[]> Mattes { get; } = [];

        /// <summary>Per frame: the frame its matte came from and the matte's (network) size.</summary>
        public Dictionary<long, (long From, int Width, int Height)> Schedule { get; } = [];
        public int Width { get; private set; }
        public int Height { get; private set; }
        public string Description => "keeping mattes";

        public void Write(Frame frame)
        {
            var alpha = frame.Alpha;
            (Width, Height) = (alpha.Width, alpha.Height);
            var bytes = new byte[alpha.Width * alpha.Height];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = PixelKernels.ToByte(alpha.Data[i] * 255);
            Mattes[frame.Index] = bytes;
            Schedule[frame.Index] = (frame.MatteFrom, frame.Matte.Width, frame.Matte.Height);
        }

        public void Complete() { }
        public void Dispose() { }
    }
}
