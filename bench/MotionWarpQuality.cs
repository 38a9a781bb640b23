using System.Text.Json;
using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Matte;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Bench;

/// <summary>
/// What the live motion warp buys, apart from the machine's load (issue 20): the live default model runs offline on
/// every frame of a clip at one network size (no smoothing); then for each age k, every frame t's matte is replaced by
/// frame t−k's, as the live path would give it, unwarped and warped by <see cref="MotionWarp"/> from frame t−k to frame
/// t. Per age: mean IoU (α &gt; 0.5, at the matte's own size) of each against frame t's own matte, and the warp's time.
/// <code>dotnet bench/bin/Release/net10.0/StreamMatte.Bench.dll warp-quality CLIP [--size WxH] [--frames N] [--model-size N]</code>
/// Prints one JSON line per age.
/// </summary>
internal static class MotionWarpQuality
{
    public static int Run(string[] args)
    {
        string clip = args[0];
        (int, int)? size = ToolArguments.Size(args);
        int frames = ToolArguments.Value(args, "--frames") is { } n ? int.Parse(n) : 240;
        int modelSize = ToolArguments.Value(args, "--model-size") is { } m ? int.Parse(m) : 256;

        string modelPath = ToolArguments.LiveDefaultModelPath();
        var keep = new RawMatteSink();
        using (var model = ModelCatalog.Open(modelPath, new SessionSettings { Device = ExecutionDevice.Cpu, AllowSpinning = false }))
        using (var source = new FileSource(clip, size, 30, frames))
            new MattingPipeline(source, model, keep, new PipelineSettings
            {
                Mode = PipelineMode.Offline, InferenceLongSide = modelSize, Smoothing = new SmoothingSettings(0), Upsampling = Upsampling.Bilinear,
            }).Run();

        var lumas = new MotionLuma[keep.Mattes.Count];
        var maker = new MotionLumaMaker();
        for (int i = 0; i < lumas.Length; i++)
        {
            var (mw, mh) = MotionWarp.MotionSize(keep.Mattes[i].Width, keep.Mattes[i].Height);
            maker.Make(keep.Pictures[i], mw, mh, lumas[i] = new MotionLuma());
        }
        using var warp = new MotionWarp();
        foreach (int age in new[] { 1, 2, 3, 4, 6, 10 })
        {
            double stale = 0, warped = 0;
            int count = 0;
            var moved = new FloatPlane(1, 1);
            for (int t = age; t < keep.Mattes.Count; t++)
            {
                var then = keep.Mattes[t - age];
                moved.Resize(then.Width, then.Height);
                Array.Copy(then.Data, moved.Data, then.Width * then.Height);
                warp.Apply(moved, lumas[t - age], keep.Pictures[t]);
                stale += Iou(then, keep.Mattes[t]);
                warped += Iou(moved, keep.Mattes[t]);
                count++;
            }
            var (p50, p95, _) = warp.Stats.Percentiles();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                clip = Path.GetFileName(clip), matte = $"{keep.Mattes[0].Width}x{keep.Mattes[0].Height}", age, frames = count,
                iou_unwarped = stale / count, iou_warped = warped / count, warp_ms_p50 = p50, warp_ms_p95 = p95,
            }));
        }
        return 0;
    }

    private static double Iou(FloatPlane a, FloatPlane b)
    {
        long both = 0, either = 0;
        for (int i = 0, n = a.Width * a.Height; i < n; i++)
        {
            bool x = a.Data[i] > 0.5f, y = b.Data[i] > 0.5f;
            if (x && y) both++;
            if (x || y) either++;
        }
        return either == 0 ? 1 : (double)both / either;
    }
}
