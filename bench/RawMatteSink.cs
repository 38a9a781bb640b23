using StreamMatte.Imaging;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Live;
using StreamMatte.Pipeline.Sinks;

namespace StreamMatte.Bench;

/// <summary>
/// Keeps every frame's matte at the network's size (as the refine stage left it: run with smoothing 0 for the raw one)
/// and its working-size picture shrunk to the motion warp's size for that matte (<see cref="MotionWarp.MotionSize"/>),
/// in order. A measuring sink: it allocates per frame.
/// </summary>
internal sealed class RawMatteSink : IFrameSink
{
    public List<FloatPlane> Mattes { get; } = [];
    public List<RgbImage> Pictures { get; } = [];
    public string Description => "keeping mattes and pictures";
    private readonly AreaScaler _scaler = new();

    public void Write(Frame frame)
    {
        var matte = new FloatPlane(frame.Matte.Width, frame.Matte.Height);
        Array.Copy(frame.Matte.Data, matte.Data, matte.Width * matte.Height);
        Mattes.Add(matte);
        var (w, h) = MotionWarp.MotionSize(matte.Width, matte.Height);
        var picture = new RgbImage(w, h);
        _scaler.Scale(frame.Small, picture);
        Pictures.Add(picture);
    }

    public void Complete() { }
    public void Dispose() { }
}
