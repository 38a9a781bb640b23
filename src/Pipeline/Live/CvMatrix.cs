using OpenCvSharp;
using OpenCvSharp.Internal;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// An OpenCV matrix of one size and type, with the native argument proxies OpenCV's functions take
/// (<c>cv::_InputArray</c>, <c>cv::_OutputArray</c>) made once beside it. OpenCvSharp's <see cref="Cv2"/> calls wrap
/// every argument in a new finalizable proxy object on each call (and dispose the output one after it), which on the
/// frame path would allocate on every frame; these proxies are made per size and reused, and the calls go to
/// <see cref="NativeMethods"/> directly. OpenCV's outputs of the same size and type are written in place (its
/// <c>create</c> keeps the buffer), so <see cref="Span{T}"/> stays valid.
/// </summary>
internal sealed class CvMatrix : IDisposable
{
    private readonly Mat _mat;
    private readonly IntPtr _data;
    private readonly int _bytes;
    private IntPtr _input, _output;

    public CvMatrix(int width, int height, MatType type)
        : this(width == 0 ? new Mat() : new Mat(height, width, type), width, height) { }

    /// <summary>An empty matrix: OpenCV's "no array" for an optional argument (e.g. remap's second map).</summary>
    public static CvMatrix Empty() => new(0, 0, MatType.CV_32FC1);

    private CvMatrix(Mat mat, int width, int height)
    {
        _mat = mat;
        (Width, Height) = (width, height);
        (_data, _bytes) = (mat.Data, checked((int)(mat.Total() * mat.ElemSize())));
        NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(mat.CvPtr, out _input));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(mat.CvPtr, out _output));
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The <c>cv::_InputArray*</c> to pass where OpenCV reads this matrix.</summary>
    public IntPtr Input => _input;

    /// <summary>The <c>cv::_OutputArray*</c> to pass where OpenCV writes it.</summary>
    public IntPtr Output => _output;

    /// <summary>The pixels, all channels interleaved, rows packed (a matrix made here is continuous).</summary>
    public unsafe Span<T> Span<T>() where T : unmanaged => new((void*)_data, _bytes / sizeof(T));

    public void Dispose()
    {
        if (_input != IntPtr.Zero) NativeMethods.HandleException(NativeMethods.core_InputArray_delete(_input));
        if (_output != IntPtr.Zero) NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_output));
        (_input, _output) = (IntPtr.Zero, IntPtr.Zero);
        _mat.Dispose();
    }
}
