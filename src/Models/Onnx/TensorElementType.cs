namespace StreamMatte.Models.Onnx;

/// <summary>ONNX tensor element types (values of <c>ONNXTensorElementDataType</c>).</summary>
public enum TensorElementType
{
    Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8, Bool = 9,
    Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13,
}

internal static class TensorElementTypes
{
    public static TensorElementType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(byte) ? TensorElementType.UInt8
        : typeof(T) == typeof(sbyte) ? TensorElementType.Int8
        : typeof(T) == typeof(int) ? TensorElementType.Int32
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(double) ? TensorElementType.Double
        : typeof(T) == typeof(Half) ? TensorElementType.Float16
        : throw new NotSupportedException($"no ONNX tensor type for {typeof(T).Name}");

    public static string Name(TensorElementType t) => t switch
    {
        TensorElementType.Float => "float32", TensorElementType.Float16 => "float16", TensorElementType.Double => "float64",
        TensorElementType.UInt8 => "uint8", TensorElementType.Int8 => "int8", TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64", TensorElementType.Bool => "bool", _ => t.ToString().ToLowerInvariant(),
    };
}
