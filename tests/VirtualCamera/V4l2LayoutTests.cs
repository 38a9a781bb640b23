using System.Runtime.InteropServices;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Tests.VirtualCamera;

/// <summary>The structs and ioctl numbers must be the kernel's (linux/videodev2.h on x86-64), or every call fails or corrupts memory.</summary>
public class V4l2LayoutTests
{
    [Fact]
    public void Struct_sizes_and_offsets_are_the_kernels()
    {
        Assert.Equal(104, Marshal.SizeOf<V4l2.Capability>());
        Assert.Equal(80, (int)Marshal.OffsetOf<V4l2.Capability>(nameof(V4l2.Capability.Version)));
        Assert.Equal(84, (int)Marshal.OffsetOf<V4l2.Capability>(nameof(V4l2.Capability.Capabilities)));
        Assert.Equal(88, (int)Marshal.OffsetOf<V4l2.Capability>(nameof(V4l2.Capability.DeviceCaps)));
        Assert.Equal(48, Marshal.SizeOf<V4l2.PixFormat>());
        Assert.Equal(20, (int)Marshal.OffsetOf<V4l2.PixFormat>(nameof(V4l2.PixFormat.SizeImage)));
        Assert.Equal(44, (int)Marshal.OffsetOf<V4l2.PixFormat>(nameof(V4l2.PixFormat.TransferFunction)));
        Assert.Equal(208, Marshal.SizeOf<V4l2.Format>());
        Assert.Equal(8, (int)Marshal.OffsetOf<V4l2.Format>(nameof(V4l2.Format.Pix)));
    }

    [Fact]
    public void Ioctl_numbers_are_the_kernels()
    {
        Assert.Equal(0x80685600u, V4l2.VidiocQueryCap);
        Assert.Equal(0xC0D05604u, V4l2.VidiocGetFormat);
        Assert.Equal(0xC0D05605u, V4l2.VidiocSetFormat);
    }

    [Fact]
    public void Fourcc_codes_are_the_kernels()
    {
        Assert.Equal(0x56595559u, V4l2.FourCc("YUYV"));
        Assert.Equal(0x32315559u, V4l2.FourCc("YU12"));
        Assert.Equal(0x3231564Eu, V4l2.FourCc("NV12"));
    }
}
