using System.Runtime.InteropServices;
using System.Text;

namespace StreamMatte.Models.Onnx;

/// <summary>UTF-8 strings to and from native memory. Allocations here happen at set-up, never per frame.</summary>
internal static unsafe class Utf8
{
    public static string? Read(byte* p) => p == null ? null : Marshal.PtrToStringUTF8((nint)p);

    /// <summary>A NUL-terminated UTF-8 copy in unmanaged memory; free with <see cref="Free"/>.</summary>
    public static byte* Alloc(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        byte* p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, n));
        p[n] = 0;
        return p;
    }

    public static void Free(byte* p) => NativeMemory.Free(p);
}
