using System.Collections.Concurrent;
using System.Diagnostics;
using StreamMatte.Imaging;
using StreamMatte.Models.Contract;

namespace StreamMatte.Tests.Support;

/// <summary>
/// A model for pipeline tests: no network, a known answer. Its matte is 1 wherever the picture is brighter
/// than <see cref="Threshold"/> in red (the test pattern's figure), or 1 everywhere with <c>opaque</c>. It
/// records every call (with the slot and a timestamp) so tests can check ordering and double buffering.
/// </summary>
internal sealed class ScriptedModel(bool opaque = false, TimeSpan? inferDelay = null) : IMattingModel
{
    public const int Threshold = 200;
    private readonly MatteOutput?[] _outputs = new MatteOutput?[2];
    private readonly float[][] _prepared = [[], []];

    public ConcurrentQueue<(string Call, int Slot, long Ticks)> Calls { get; } = new();
    public int Resets;
    public int Inferences;

    public string Name => "scripted";
    public string Family => "test";
    public ModelCapabilities Capabilities => ModelCapabilities.Alpha;
    public string Provider => "none";
    public (int Width, int Height)? FrameSize { get; private set; }
    public (int Width, int Height) InputSize => FrameSize ?? (0, 0);

    public void Configure(int frameWidth, int frameHeight)
    {
        FrameSize = (frameWidth, frameHeight);
        for (int s = 0; s < 2; s++)
        {
            _outputs[s] = new MatteOutput(frameWidth, frameHeight);
            _prepared[s] = new float[frameWidth * frameHeight];
        }
    }

    public void Prepare(RgbImage frame, int slot)
    {
        Calls.Enqueue(("prepare-start", slot, Stopwatch.GetTimestamp()));
        var target = _prepared[slot];
        for (int i = 0; i < target.Length; i++) target[i] = opaque || frame.Pixels[3 * i] > Threshold ? 1f : 0f;
        Calls.Enqueue(("prepare-end", slot, Stopwatch.GetTimestamp()));
    }

    public void Infer(int slot)
    {
        Calls.Enqueue(("infer-start", slot, Stopwatch.GetTimestamp()));
        if (inferDelay is { } d) Thread.Sleep(d);
        Array.Copy(_prepared[slot], _outputs[slot]!.Alpha.Data, _prepared[slot].Length);
        Interlocked.Increment(ref Inferences);
        Calls.Enqueue(("infer-end", slot, Stopwatch.GetTimestamp()));
    }

    public MatteOutput Read(int slot) => _outputs[slot]!;

    public void ResetState() => Interlocked.Increment(ref Resets);

    public void Dispose() { }
}
