// Embedding the stream-matte pipeline as a library, on one screen: a custom source (frames you make) and a
// custom sink (frames you consume), with our model and compositing in between.
//   dotnet run -c Release --project samples/EmbedPipeline -- ../shared/models/selfie_segmentation_256.onnx
using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: EmbedPipeline MODEL.onnx");
    return 2;
}

using var model = ModelCatalog.Open(args[0]);                       // adapter chosen from the model's signature
using var source = new GradientSource(640, 360, frames: 60);          // any IFrameSource: camera, file, your renderer
using var sink = new CoverageSink();                                  // any IFrameSink: encoder, network, texture upload
var settings = new PipelineSettings { Composite = new CompositeSettings(new Background.Color(0, 177, 64)) };

var summary = new MattingPipeline(source, model, sink, settings).Run();
Console.WriteLine($"{summary.FramesOut} frames, {summary.FramesPerSecond:0.0} fps on {model.Provider}");
return 0;

/// <summary>A source is one method: fill the frame you are given (no allocation), say when the stream ends.</summary>
sealed class GradientSource(int width, int height, int frames) : IFrameSource
{
    private int _n;
    public VideoFormat Format { get; } = new(width, height, 30);
    public bool IsLive => false;                                      // true: newest frame wins, drops are counted
    public string Description => "gradient";

    public bool Read(RgbImage image, out TimeSpan timestamp)
    {
        timestamp = TimeSpan.FromSeconds(_n / 30.0);
        if (_n++ == frames) return false;
        for (int y = 0; y < height; y++)
            image.Row(y).Fill((byte)(y * 255 / height));
        return true;
    }

    public void Dispose() { }
}

/// <summary>A sink gets each finished frame in order: the composited picture and its full-resolution matte.</summary>
sealed class CoverageSink : IFrameSink
{
    public string Description => "coverage printer";

    public void Write(Frame frame)
    {
        if (frame.Index % 15 == 0)
            Console.WriteLine($"frame {frame.Index} at {frame.Timestamp.TotalSeconds:0.00} s: person covers {frame.Alpha.Data.Average():P0}");
    }

    public void Complete() { }
    public void Dispose() { }
}
