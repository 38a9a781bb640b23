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
/// on still pixels, <see cref="FlickerMeter"/>), the matte's age and refresh rate, frames out.
/// <code>dotnet run -c Release --project bench -- live-quality CLIP [--size WxH] [--fps N] [--frames N] [--motion-warp on|off]</code>
/// Prints one JSON line; bench/live-quality.sh runs it per clip and writes the table.
/// </summary>
internal static class LiveMatteQuality
{
    public static int Run(string[] args)
    {
        string clip = args[0];
        (int, int)? size = Value(args, "--size") is { } s ? (int.Parse(s.Split('x')[0]), int.Parse(s.Split('x')[1])) : null;
        double fps = Value(args, "--fps") is { } f ? double.Parse(f, System.Globalization.CultureInfo.InvariantCulture) : 30;
        int frames = Value(args, "--frames") is { } n ? int.Parse(n) : 300;
        bool motionWarp = (Value(args, "--motion-warp") ?? "on") == "on";

        var entries = ModelCatalog.Discover(null);
        var full = ModelCatalog.DefaultAmong(entries) ?? throw new FileNotFoundException("no model in models/");
        string modelPath = FasterForms.ForLive(full, entries)?.Form.Path ?? full.Path;
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
            flicker_live = liveFlicker.StaticFlicker,
            flicker_offline = offlineFlicker.StaticFlicker,
        };
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
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
        }

        public void Complete() { }
        public void Dispose() { }
    }
}
