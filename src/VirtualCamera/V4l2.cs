using System.Runtime.InteropServices;

namespace StreamMatte.VirtualCamera;

/// <summary>
/// The few pieces of the Linux V4L2 API (linux/videodev2.h) a loopback writer needs, laid out as the kernel lays
/// them out on x86-64 (tests check every size and offset against the kernel's values).
/// </summary>
public static class V4l2
{
    public const uint CapVideoCapture = 0x00000001;
    public const uint CapVideoOutput = 0x00000002;
    public const uint CapDeviceCaps = 0x80000000;

    public const uint BufTypeVideoOutput = 2;
    public const uint FieldNone = 1;
    /// <summary>V4L2_COLORSPACE_SMPTE170M: BT.601, what <see cref="YuvConverter"/> writes and what webcams send.</summary>
    public const uint ColorspaceSmpte170M = 1;
    /// <summary>V4L2_QUANTIZATION_LIM_RANGE: Y in 16..235, chroma in 16..240.</summary>
    public const uint QuantizationLimitedRange = 2;

    public static uint FourCc(string code) => (uint)(code[0] | code[1] << 8 | code[2] << 16 | code[3] << 24);

    // _IOC(dir, type, nr, size) = dir << 30 | size << 16 | type << 8 | nr   (asm-generic/ioctl.h)
    private const uint IocWrite = 1, IocRead = 2;
    private static uint Ioc(uint dir, char type, uint nr, int size) => dir << 30 | (uint)size << 16 | (uint)type << 8 | nr;

    public static readonly uint VidiocQueryCap = Ioc(IocRead, 'V', 0, Marshal.SizeOf<Capability>());
    public static readonly uint VidiocGetFormat = Ioc(IocRead | IocWrite, 'V', 4, Marshal.SizeOf<Format>());
    public static readonly uint VidiocSetFormat = Ioc(IocRead | IocWrite, 'V', 5, Marshal.SizeOf<Format>());

    /// <summary>struct v4l2_capability (104 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Capability
    {
        public fixed byte Driver[16];
        public fixed byte Card[32];
        public fixed byte BusInfo[32];
        public uint Version;
        public uint Capabilities;
        public uint DeviceCaps;
        public fixed uint Reserved[3];

        /// <summary>What this node does: device_caps when the driver fills it (V4L2_CAP_DEVICE_CAPS), else the device's.</summary>
        public readonly uint NodeCaps => (Capabilities & CapDeviceCaps) != 0 ? DeviceCaps : Capabilities;

        public readonly string DriverName { get { fixed (byte* p = Driver) return Text(p, 16); } }
        public readonly string CardName { get { fixed (byte* p = Card) return Text(p, 32); } }

        private static string Text(byte* p, int max)
        {
            int n = 0;
            while (n < max && p[n] != 0) n++;
            return System.Text.Encoding.UTF8.GetString(p, n);
        }
    }

    /// <summary>struct v4l2_pix_format (48 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PixFormat
    {
        public uint Width;
        public uint Height;
        public uint PixelFormat;
        public uint Field;
        public uint BytesPerLine;
        public uint SizeImage;
        public uint Colorspace;
        public uint Priv;
        public uint Flags;
        public uint YcbcrEncoding;
        public uint Quantization;
        public uint TransferFunction;
    }

    /// <summary>
    /// struct v4l2_format (208 bytes): the type, then a 200-byte union that starts at offset 8 because some of its
    /// members (v4l2_window) hold pointers.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 208)]
    public struct Format
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(8)] public PixFormat Pix;
    }
}
