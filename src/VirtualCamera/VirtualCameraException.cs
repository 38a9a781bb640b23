namespace StreamMatte.VirtualCamera;

/// <summary>The virtual camera cannot be used; <see cref="Exception.Message"/> says why and <see cref="Fix"/> what to do.</summary>
public sealed class VirtualCameraException(string message, string fix) : IOException($"{message}. Fix: {fix}")
{
    public string Fix { get; } = fix;
}

/// <summary>The known v4l2loopback traps and their exact fixes (shared by the writer and `stream-matte doctor`).</summary>
public static class LoopbackAdvice
{
    public const string ModprobeLine = "sudo modprobe v4l2loopback devices=1 video_nr=10 card_label=\"stream-matte\" exclusive_caps=1";

    public static string NoDevice(string path) =>
        $"load the v4l2loopback module to create it: `{ModprobeLine}` (Debian: `sudo apt install v4l2loopback-dkms`), then use --output v4l2:/dev/video10" +
        (path == "/dev/video10" ? "" : $" (or video_nr matching {path})");

    public const string CaptureDevice =
        "it is a capture device (a real camera), not a loopback output: pass the v4l2loopback node instead; `stream-matte doctor` lists which is which";

    public const string ExclusiveCaps =
        "with exclusive_caps=1 a loopback node offers its output side only until a writer is attached: another program is already writing to it. " +
        "Stop it, or load another node (`sudo modprobe -r v4l2loopback` then the modprobe line with devices=2)";

    public const string Busy = "another program holds the device: close the other writer (OBS virtual camera, another stream-matte) and try again";

    public const string Permission = "add yourself to the video group (`sudo usermod -aG video $USER`, then log in again) or run with access to the device";
}
