using System.Runtime.InteropServices;

namespace StreamMatte.VirtualCamera;

/// <summary>What a /dev/video* node is.</summary>
public enum VideoNodeKind { Camera, LoopbackOutput, Other, Unreadable }

public sealed record VideoNode(string Path, VideoNodeKind Kind, string Driver, string Card, string? Problem);

/// <summary>Lists the machine's V4L2 nodes and what each one is (VIDIOC_QUERYCAP), for `doctor` and camera errors.</summary>
public static unsafe class V4l2Devices
{
    public static bool LoopbackModuleLoaded => Directory.Exists("/sys/module/v4l2loopback");

    /// <summary>The exclusive_caps parameter of the loaded v4l2loopback module (null when unknown).</summary>
    public static string? LoopbackExclusiveCaps =>
        File.Exists("/sys/module/v4l2loopback/parameters/exclusive_caps") ? File.ReadAllText("/sys/module/v4l2loopback/parameters/exclusive_caps").Trim() : null;

    public static IReadOnlyList<VideoNode> List() =>
        Directory.Exists("/dev") ? Directory.GetFiles("/dev", "video*").Order(StringComparer.Ordinal).Select(Query).ToList() : [];

    public static VideoNode Query(string path)
    {
        int fd = Libc.Open(path, Libc.ReadWrite | Libc.CloseOnExec | 0x800 /* O_NONBLOCK */);
        if (fd < 0) return new VideoNode(path, VideoNodeKind.Unreadable, "", "", Libc.Describe(Marshal.GetLastPInvokeError()));
        try
        {
            var cap = default(V4l2.Capability);
            if (Libc.Ioctl(fd, V4l2.VidiocQueryCap, &cap) < 0)
                return new VideoNode(path, VideoNodeKind.Unreadable, "", "", Libc.Describe(Marshal.GetLastPInvokeError()));
            uint caps = cap.NodeCaps;
            bool loopback = cap.DriverName.Contains("loopback", StringComparison.OrdinalIgnoreCase);
            var kind = loopback ? VideoNodeKind.LoopbackOutput
                : (caps & V4l2.CapVideoCapture) != 0 ? VideoNodeKind.Camera
                : VideoNodeKind.Other;
            return new VideoNode(path, kind, cap.DriverName, cap.CardName, null);
        }
        finally { Libc.Close(fd); }
    }
}
