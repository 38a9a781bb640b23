namespace StreamMatte.Pipeline.Live;

/// <summary>
/// A frame's luma (8-bit, 0..255) shrunk to the small size its motion is measured at (<see cref="MotionWarp.MotionSize"/>):
/// what the optical flow compares. Live, each published matte keeps the one of the frame it was computed from, so the
/// frame path can measure how far the picture moved since. Width 0: none (the warp is off). Grows only when the size
/// needs more room, never per frame.
/// </summary>
internal sealed class MotionLuma
{
    public int Width { get; private set; }
    public int Height { get; private set; }
    public byte[] Data { get; private set; } = [];

    public bool IsEmpty => Width == 0;

    public void Resize(int width, int height)
    {
        if (width * height > Data.Length) Data = new byte[checked(width * height)];
        (Width, Height) = (width, height);
    }

    public void Clear() => (Width, Height) = (0, 0);

    public void CopyFrom(MotionLuma other)
    {
        Resize(other.Width, other.Height);
        other.Data.AsSpan(0, other.Width * other.Height).CopyTo(Data);
    }
}
