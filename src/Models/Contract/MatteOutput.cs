using StreamMatte.Imaging;

namespace StreamMatte.Models.Contract;

/// <summary>
/// A model's answer for one frame. Every plane covers the whole frame (at the model's own resolution; the
/// pipeline brings it to full resolution). Owned by the model and reused: copy what must outlive the slot.
/// </summary>
public sealed class MatteOutput
{
    /// <summary>α in 0..1, person = 1.</summary>
    public FloatPlane Alpha { get; }

    /// <summary>Foreground colour planes R, G, B in 0..1, when the model predicts it.</summary>
    public FloatPlane[]? Foreground { get; init; }

    private readonly PersonInstance[] _instances;

    /// <summary>Per-person masks, best score first, when the model separates people.</summary>
    public ReadOnlySpan<PersonInstance> Instances => _instances.AsSpan(0, InstanceCount);

    public int InstanceCount { get; internal set; }

    public MatteOutput(int width, int height, int maxInstances = 0, bool foreground = false)
        : this(new FloatPlane(width, height), maxInstances, foreground) { }

    /// <summary>An output whose α is the given plane (e.g. one over the network's output buffer).</summary>
    public MatteOutput(FloatPlane alpha, int maxInstances = 0, bool foreground = false)
    {
        int width = alpha.Width, height = alpha.Height;
        Alpha = alpha;
        Foreground = foreground ? [new(width, height), new(width, height), new(width, height)] : null;
        _instances = new PersonInstance[maxInstances];
        for (int i = 0; i < maxInstances; i++) _instances[i] = new PersonInstance(width, height);
    }

    internal PersonInstance InstanceSlot(int i) => _instances[i];
    internal int MaxInstances => _instances.Length;
}

/// <summary>One person: a box in frame pixels, a confidence, and a mask over the whole frame.</summary>
public sealed class PersonInstance(int width, int height)
{
    public float Score { get; internal set; }
    public (float X, float Y, float Width, float Height) Box { get; internal set; }
    public FloatPlane Mask { get; } = new(width, height);
}
