using StreamMatte.Imaging;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Tests.VirtualCamera;

public class PacedVirtualCameraTests
{
    /// <summary>Records the first byte (Y of the first pixel) of every frame written.</summary>
    private sealed class RecordingDevice(int failAfter = int.MaxValue) : IVideoOutputDevice
    {
        private readonly List<byte> _firstBytes = [];
        public string Description => "recording";
        public bool Disposed { get; private set; }

        public byte[] Written { get { lock (_firstBytes) return [.. _firstBytes]; } }

        public void WriteFrame(ReadOnlySpan<byte> frame)
        {
            lock (_firstBytes)
            {
                if (_firstBytes.Count >= failAfter) throw new IOException("device gone");
                _firstBytes.Add(frame[0]);
            }
        }

        public void Dispose() => Disposed = true;
    }

    private static RgbImage Solid(byte value)
    {
        var img = new RgbImage(8, 4);
        img.Pixels.AsSpan().Fill(value);
        return img;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the virtual camera did not get there in 20 s");
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void It_shows_grey_before_the_first_frame_and_repeats_the_last_frame_while_the_pipeline_stalls()
    {
        var device = new RecordingDevice();
        using (var camera = new PacedVirtualCamera(device, YuvFormat.Yuyv, 8, 4, 200))
        {
            WaitFor(() => device.Written.Length >= 2);
            camera.Submit(Solid(255));
            // The pipeline now stalls: the camera must keep writing, and the picture must be the last frame.
            WaitFor(() => device.Written.Count(b => b == 235) >= 10);
            Assert.True(camera.FramesRepeated >= 9);
            Assert.Equal(1, camera.FramesSubmitted);
        }
        var written = device.Written;
        Assert.Equal(126, written[0]);                       // mid-grey (RGB 128) in limited range
        int firstWhite = Array.IndexOf(written, (byte)235);
        Assert.True(firstWhite > 0);
        Assert.All(written[firstWhite..], b => Assert.Equal(235, b));   // never back to an older picture
        Assert.True(device.Disposed);
    }

    [Fact]
    public void A_failing_device_surfaces_on_the_next_submit_instead_of_hanging()
    {
        var device = new RecordingDevice(failAfter: 3);
        using var camera = new PacedVirtualCamera(device, YuvFormat.I420, 8, 4, 500);
        WaitFor(() => device.Written.Length >= 3);
        var error = Assert.Throws<IOException>(() =>
        {
            for (int i = 0; i < 10_000; i++) { camera.Submit(Solid(10)); Thread.Sleep(2); }
        });
        Assert.Contains("device gone", error.Message);
    }

    [Fact]
    public void A_frame_of_the_wrong_size_is_refused()
    {
        using var camera = new PacedVirtualCamera(new RecordingDevice(), YuvFormat.Nv12, 8, 4, 30);
        Assert.Throws<ArgumentException>(() => camera.Submit(new RgbImage(16, 4)));
    }

    [Fact]
    public void A_missing_loopback_device_fails_with_the_modprobe_advice()
    {
        var e = Assert.Throws<VirtualCameraException>(() => new V4l2LoopbackDevice("/dev/video97", 640, 360, YuvFormat.Yuyv));
        Assert.Contains("does not exist", e.Message);
        Assert.Contains("modprobe v4l2loopback", e.Fix);
        Assert.Contains("exclusive_caps=1", e.Fix);
    }

    [Fact]
    public void A_file_that_is_not_a_v4l2_device_is_refused_with_advice()
    {
        string path = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<VirtualCameraException>(() => new V4l2LoopbackDevice(path, 640, 360, YuvFormat.Yuyv));
            Assert.Contains("not a V4L2 device", e.Message);
        }
        finally { File.Delete(path); }
    }
}
