using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// A copy of one frame's small picture on its way to the network (live mode), with what the network must know about
/// it: which frame it is, its scene (a cut starts a new one: recurrent state restarts), and when the frame arrived.
/// Owned by the <see cref="FlowLimiter"/> that made it; the network holds one from taking it until it takes the next.
/// </summary>
internal sealed class NetworkPicture(int width, int height)
{
    public RgbImage Image { get; } = new(width, height);
    public long Index { get; set; } = -1;
    public long Scene { get; set; }
    public long ArrivedAt { get; set; }
}
