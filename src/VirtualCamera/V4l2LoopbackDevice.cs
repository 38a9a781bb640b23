using System.Runtime.InteropServices;

namespace StreamMatte.VirtualCamera;

/// <summary>
/// A v4l2loopback node opened for writing: capabilities checked (an output node, not a camera), the format set
/// with VIDIOC_S_FMT and read back, then frames written with write(2). Every failure names its fix.
/// </summary>
public sealed unsafe class V4l2LoopbackDevice : IVideoOutputDevice
{
    private int _fd;
    private readonly int _frameBytes;

    public string Description { get; }
    public string Card { get; }

    public V4l2LoopbackDevice(string path, int width, int height, YuvFormat format)
    {
        if ((width | height) % 2 != 0) throw new ArgumentException($"a virtual camera needs even dimensions, got {width}x{height}");
        if (!File.Exists(path) && !Directory.Exists("/sys/class/video4linux/" + Path.GetFileName(path)))
            throw new VirtualCameraException($"virtual camera {path} does not exist", LoopbackAdvice.NoDevice(path));
        _fd = Libc.Open(path, Libc.WriteOnly | Libc.CloseOnExec);
        if (_fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                Libc.ENOENT or Libc.ENODEV => new VirtualCameraException($"virtual camera {path} does not exist", LoopbackAdvice.NoDevice(path)),
                Libc.EACCES => new VirtualCameraException($"no permission to open {path}", LoopbackAdvice.Permission),
                Libc.EBUSY => new VirtualCameraException($"{path} is busy", LoopbackAdvice.Busy),
                _ => new VirtualCameraException($"cannot open {path}: {Libc.Describe(errno)}", "run `stream-matte doctor`"),
            };
        }
        try
        {
            var cap = default(V4l2.Capability);
            if (Libc.Ioctl(_fd, V4l2.VidiocQueryCap, &cap) < 0)
                throw new VirtualCameraException($"{path} is not a V4L2 device ({Libc.Describe(Marshal.GetLastPInvokeError())})", LoopbackAdvice.NoDevice(path));
            Card = cap.CardName;
            uint caps = cap.NodeCaps;
            if ((caps & V4l2.CapVideoOutput) == 0)
            {
                bool loopback = cap.DriverName.Contains("loopback", StringComparison.OrdinalIgnoreCase);
                throw loopback
                    ? new VirtualCameraException($"{path} ({Card}) offers no output side right now", LoopbackAdvice.ExclusiveCaps)
                    : new VirtualCameraException($"{path} ({Card}, driver {cap.DriverName})", LoopbackAdvice.CaptureDevice);
            }
            var fmt = new V4l2.Format { Type = V4l2.BufTypeVideoOutput };
            _frameBytes = YuvConverter.FrameBytes(format, width, height);
            fmt.Pix = new V4l2.PixFormat
            {
                Width = (uint)width,
                Height = (uint)height,
                PixelFormat = V4l2.FourCc(YuvConverter.FourCcText(format)),
                Field = V4l2.FieldNone,
                BytesPerLine = (uint)(format == YuvFormat.Yuyv ? width * 2 : width),
                SizeImage = (uint)_frameBytes,
                Colorspace = V4l2.ColorspaceSmpte170M,
                Quantization = V4l2.QuantizationLimitedRange,
            };
            if (Libc.Ioctl(_fd, V4l2.VidiocSetFormat, &fmt) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw errno == Libc.EBUSY
                    ? new VirtualCameraException($"{path} is busy: its format is fixed by a program already using it", LoopbackAdvice.Busy)
                    : new VirtualCameraException($"{path} refused {YuvConverter.FourCcText(format)} {width}x{height}: {Libc.Describe(errno)}",
                        "try another --vcam-format (yuyv, i420, nv12), or reload v4l2loopback so the format is free");
            }
            if (fmt.Pix.Width != width || fmt.Pix.Height != height || fmt.Pix.PixelFormat != V4l2.FourCc(YuvConverter.FourCcText(format)))
                throw new VirtualCameraException(
                    $"{path} set {fmt.Pix.Width}x{fmt.Pix.Height} instead of {width}x{height} {YuvConverter.FourCcText(format)}",
                    "a consumer already fixed the format: close it, or use --size to match");
            Description = $"{path} ({Card}): {YuvConverter.FourCcText(format)} {width}x{height}";
        }
        catch
        {
            Libc.Close(_fd);
            _fd = -1;
            throw;
        }
    }

    public void WriteFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length != _frameBytes) throw new ArgumentException($"frame is {frame.Length} bytes, the format needs {_frameBytes}");
        fixed (byte* p = frame)
        {
            int done = 0;
            while (done < frame.Length)
            {
                nint n = Libc.Write(_fd, p + done, (nuint)(frame.Length - done));
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR) continue;
                    throw new IOException($"writing to the virtual camera failed: {Libc.Describe(errno)}");
                }
                done += (int)n;
            }
        }
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.Close(_fd);
        _fd = -1;
    }
}
