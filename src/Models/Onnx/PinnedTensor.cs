using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// A tensor over a preallocated, pinned managed array that ORT reads or writes in place: its <see cref="OrtValue"/>
/// is made once over the buffer (<see cref="OrtValue.CreateTensorValueFromMemory{T}(OrtMemoryInfo, Memory{T}, long[])"/>),
/// so binding it and running with it copy and allocate nothing.
/// </summary>
public abstract class PinnedTensor : IDisposable
{
    private long[] _shape;

    private protected PinnedTensor(TensorElementType elementType, long[] shape)
    {
        ElementType = elementType;
        _shape = (long[])shape.Clone();
        ElementCount = CountOf(_shape);
    }

    /// <summary>ORT's value over the buffer; bind this.</summary>
    public OrtValue Value { get; private protected set; } = null!;

    public TensorElementType ElementType { get; }

    /// <summary>The current shape (do not modify).</summary>
    public ReadOnlySpan<long> Shape => _shape;

    public long ElementCount { get; private set; }

    private protected long[] ShapeArray => _shape;

    private protected abstract OrtValue CreateValue();

    /// <summary>
    /// Gives the same buffer a new shape (set-up time, e.g. on a resolution change). Bindings that hold this
    /// tensor must bind it again afterwards.
    /// </summary>
    public void Reshape(params long[] shape)
    {
        Value.Dispose();
        _shape = (long[])shape.Clone();
        ElementCount = CountOf(_shape);
        Value = CreateValue();
    }

    internal static long CountOf(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ArgumentException("a tensor's shape must be concrete (no -1)");
            n *= d;
        }
        return n;
    }

    public void Dispose()
    {
        Value?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A tensor of <typeparamref name="T"/> over a pinned array; <see cref="Span"/> is the live data.</summary>
public sealed class PinnedTensor<T> : PinnedTensor where T : unmanaged
{
    private readonly T[] _buffer;

    /// <summary>A new tensor with its own pinned buffer, sized for <paramref name="shape"/> (or <paramref name="capacity"/>, if larger).</summary>
    public PinnedTensor(long[] shape, long capacity = 0) : base(ElementTypeOf(), shape)
    {
        _buffer = GC.AllocateArray<T>((int)Math.Max(capacity, ElementCount), pinned: true);
        Value = CreateValue();
    }

    /// <summary>A tensor over an existing array (ORT pins it for the tensor's life).</summary>
    public PinnedTensor(T[] buffer, long[] shape) : base(ElementTypeOf(), shape)
    {
        _buffer = buffer;
        Value = CreateValue();
    }

    /// <summary>The elements of the current shape.</summary>
    public Span<T> Span => _buffer.AsSpan(0, (int)ElementCount);

    /// <summary>The whole underlying array (its length is the capacity).</summary>
    public T[] Buffer => _buffer;

    private protected override OrtValue CreateValue()
    {
        if (ElementCount > _buffer.LongLength)
            throw new ArgumentException($"shape [{string.Join(",", ShapeArray)}] needs {ElementCount} elements; the buffer holds {_buffer.LongLength}");
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<T>(_buffer, 0, (int)ElementCount), ShapeArray);
    }

    private static TensorElementType ElementTypeOf() =>
        typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(byte) ? TensorElementType.UInt8
        : typeof(T) == typeof(sbyte) ? TensorElementType.Int8
        : typeof(T) == typeof(int) ? TensorElementType.Int32
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(double) ? TensorElementType.Double
        : throw new NotSupportedException($"no ONNX tensor type for {typeof(T).Name}");
}
