namespace StreamMatte.Models.Onnx;

/// <summary>
/// One input or output of a model as the session reports it. <see cref="Shape"/> holds -1 for a dynamic
/// axis, whose name (e.g. "height") is in <see cref="SymbolicShape"/>.
/// </summary>
public sealed record TensorInfo(string Name, TensorElementType ElementType, long[] Shape, string[] SymbolicShape)
{
    public int Rank => Shape.Length;

    public bool IsDynamic(int axis) => Shape[axis] < 0;

    /// <summary>"float32[1,3,height,width]" style, as `stream-matte models` prints it.</summary>
    public override string ToString()
    {
        var dims = Shape.Select((d, i) => d >= 0 ? d.ToString() : (SymbolicShape[i] is { Length: > 0 } s ? s : "?"));
        return $"{Name}: {TensorElementTypes.Name(ElementType)}[{string.Join(",", dims)}]";
    }
}
