using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Tests.Support;

/// <summary>Keeps the stamped index of every frame it gets (and can be told to be slow, stall or fail).</summary>
internal sealed class RecordingSink : IFrameSink
{
    public List<long> Indices { get; } = [];
    public List<long> Stamps { get; } = [];
    public TimeSpan Delay { get; init; }
    public int FailAt { get; init; } = -1;
    public int StallAt { get; init; } = -1;
    public bool Completed { get; private set; }
    public bool Aborted { get; private set; }
    private readonly ManualResetEventSlim _released = new(false);

    public string Description => "recording";

    public void Write(Frame frame)
    {
        if (Indices.Count == FailAt) throw new IOException($"disk full (simulated) at frame {frame.Index}");
        if (Indices.Count == StallAt) _released.Wait(); // until Abort
        if (Delay > TimeSpan.Zero) Thread.Sleep(Delay);
        Indices.Add(frame.Index);
        Stamps.Add(FrameStamp.Read(frame.Image));
    }

    public void Complete() => Completed = true;

    public void Abort()
    {
        Aborted = true;
        _released.Set();
    }

    public void Dispose() { }
}

/// <summary>Keeps a copy of every output picture.</summary>
internal sealed class ImageCapturingSink : IFrameSink
{
    public List<StreamMatte.Imaging.RgbImage> Images { get; } = [];
    public string Description => "capture";

    public void Write(Frame frame)
    {
        var copy = new StreamMatte.Imaging.RgbImage(frame.Image.Width, frame.Image.Height);
        frame.Image.Pixels.CopyTo(copy.Pixels, 0);
        Images.Add(copy);
    }

    public void Complete() { }
    public void Dispose() { }
}
