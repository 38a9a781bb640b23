using StreamMatte.Pipeline.Frames;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Pipeline.Sinks;

/// <summary>
/// The pipeline's frames to a v4l2loopback virtual camera. The camera keeps its own pace
/// (<see cref="PacedVirtualCamera"/>): this sink only hands over the newest picture, so a slow or stalled
/// pipeline shows as a repeated frame, never as a frozen or closed camera.
/// </summary>
public sealed class VirtualCameraSink : IFrameSink
{
    private readonly PacedVirtualCamera _camera;

    public VirtualCameraSink(string devicePath, int width, int height, double framesPerSecond, YuvFormat format = YuvFormat.Yuyv)
        : this(new PacedVirtualCamera(new V4l2LoopbackDevice(devicePath, width, height, format), format, width, height, framesPerSecond)) { }

    public VirtualCameraSink(PacedVirtualCamera camera) => _camera = camera;

    /// <summary>"v4l2:/dev/video10" or "/dev/video10" name a virtual camera output.</summary>
    public static bool IsVirtualCamera(string output, out string devicePath)
    {
        devicePath = output.StartsWith("v4l2:", StringComparison.Ordinal) ? output[5..] : output;
        return output.StartsWith("v4l2:", StringComparison.Ordinal) || output.StartsWith("/dev/video", StringComparison.Ordinal);
    }

    public PacedVirtualCamera Camera => _camera;
    public string Description => $"virtual camera {_camera.Description}";

    public void Write(Frame frame) => _camera.Submit(frame.Image);

    public void Complete() { }

    public void Dispose() => _camera.Dispose();
}
