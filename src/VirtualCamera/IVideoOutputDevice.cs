namespace StreamMatte.VirtualCamera;

/// <summary>Where the paced writer puts whole frames: a V4L2 loopback node, or (in tests) anything else.</summary>
public interface IVideoOutputDevice : IDisposable
{
    string Description { get; }

    /// <summary>Writes one whole frame; throws <see cref="IOException"/> when the device fails.</summary>
    void WriteFrame(ReadOnlySpan<byte> frame);
}
