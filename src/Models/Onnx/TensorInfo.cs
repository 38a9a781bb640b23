using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// One input or output of a model as the session reports it. <see cref="Shape"/> holds -1 for a dynamic
/// axis, whose name (e.g. "height") is in <see cref="SymbolicShape"/>.
/// </summary>
public sealed record TensorInfo(string Name, TensorElementType ElementType, long[] Shape, string[] SymbolicShape)
{
    public int Rank => Shape.Length;

    public bool IsDynamic(int axis) => Shape[axis] < 0;

    /// <summary>From ORT's metadata; a non-tensor input (sequence, map) gets <see cref="TensorElementType.DataTypeMax"/> and no shape.</summary>
    internal static TensorInfo From(string name, NodeMetadata metadata) =>
        metadata.IsTensor
            ? new TensorInfo(name, metadata.ElementDataType, metadata.Dimensions.Select(d => (long)d).ToArray(),
                metadata.SymbolicDimensions.Select(s => s ?? "").ToArray())
            : new TensorInfo(name, TensorElementType.DataTypeMax, [], []);

    /// <summary>"float32[1,3,height,width]" style, as `stream-matte models` prints it.</summary>
    public override string ToString()
    {
        var dims = Shape.Select((d, i) => d >= 0 ? d.ToString() : (SymbolicShape[i] is { Length: > 0 } s ? s : "?"));
        return $"{Name}: {TypeName(ElementType)}[{string.Join(",", dims)}]";
    }

    public static string TypeName(TensorElementType t) => t switch
    {
        TensorElementType.Float => "float32", TensorElementType.Float16 => "float16", TensorElementType.Double => "float64",
        TensorElementType.UInt8 => "uint8", TensorElementType.Int8 => "int8", TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64", TensorElementType.Bool => "bool", TensorElementType.DataTypeMax => "non-tensor",
        _ => t.ToString().ToLowerInvariant(),
    };
}
