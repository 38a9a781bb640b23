using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// A tensor whose memory is a pinned managed array that ORT reads or writes in place (no copies): the
/// <c>OrtValue</c> is created once over the buffer, so binding it or running with it allocates nothing.
/// </summary>
public abstract unsafe class OrtTensor : IDisposable
{
    private readonly OrtRuntime _runtime;
    private long[] _shape;

    internal nint Handle { get; private set; }

    public TensorElementType ElementType { get; }

    /// <summary>The current shape (a copy is not made: do not modify).</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Number of elements in the current shape.</summary>
    public long ElementCount { get; private set; }

    private protected OrtTensor(OrtRuntime runtime, TensorElementType elementType, long[] shape)
    {
        _runtime = runtime;
        ElementType = elementType;
        _shape = shape;
        ElementCount = CountOf(shape);
    }

    private protected abstract void* DataPointer { get; }
    private protected abstract long Capacity { get; }
    private protected abstract int ElementSize { get; }

    private protected void CreateValue()
    {
        if (ElementCount > Capacity)
            throw new ArgumentException($"shape [{string.Join(",", _shape)}] needs {ElementCount} elements; the buffer holds {Capacity}");
        nint value;
        fixed (long* dims = _shape)
        {
            _runtime.Check(_runtime.Api.CreateTensorWithDataAsOrtValue(_runtime.CpuMemoryInfo, DataPointer,
                (nuint)(ElementCount * ElementSize), dims, (nuint)_shape.Length, (int)ElementType, &value));
        }
        Handle = value;
    }

    /// <summary>
    /// Gives the same buffer a new shape (set-up time, e.g. on a resolution change). Bindings that hold this
    /// tensor must bind it again afterwards.
    /// </summary>
    public void Reshape(params long[] shape)
    {
        ReleaseValue();
        _shape = (long[])shape.Clone();
        ElementCount = CountOf(_shape);
        CreateValue();
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

    private void ReleaseValue()
    {
        if (Handle != 0) _runtime.Api.ReleaseValue(Handle);
        Handle = 0;
    }

    public void Dispose()
    {
        ReleaseValue();
        FreeBuffer();
        GC.SuppressFinalize(this);
    }

    private protected virtual void FreeBuffer() { }
}

/// <summary>A tensor of <typeparamref name="T"/> over a pinned array; <see cref="Span"/> is the live data.</summary>
public sealed unsafe class OrtTensor<T> : OrtTensor where T : unmanaged
{
    private readonly T[] _buffer;
    private GCHandle _pin;

    /// <summary>A new tensor with its own pinned buffer, sized for <paramref name="shape"/> (or larger).</summary>
    public OrtTensor(OrtRuntime runtime, long[] shape, long capacity = 0)
        : base(runtime, TensorElementTypes.Of<T>(), (long[])shape.Clone())
    {
        _buffer = GC.AllocateArray<T>((int)Math.Max(capacity, CountOf(shape)), pinned: true);
        CreateValue();
    }

    /// <summary>A tensor over an existing array, which is pinned until this tensor is disposed.</summary>
    public OrtTensor(OrtRuntime runtime, T[] buffer, long[] shape)
        : base(runtime, TensorElementTypes.Of<T>(), (long[])shape.Clone())
    {
        _buffer = buffer;
        _pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        CreateValue();
    }

    /// <summary>The elements of the current shape.</summary>
    public Span<T> Span => _buffer.AsSpan(0, (int)ElementCount);

    /// <summary>The whole underlying array (its length is the capacity).</summary>
    public T[] Buffer => _buffer;

    private protected override void* DataPointer => Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
    private protected override long Capacity => _buffer.LongLength;
    private protected override int ElementSize => sizeof(T);

    private protected override void FreeBuffer()
    {
        if (_pin.IsAllocated) _pin.Free();
    }
}
