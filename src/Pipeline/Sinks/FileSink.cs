using StreamMatte.Imaging;
using StreamMatte.Pipeline.Frames;
using StreamMatte.Pipeline.Sources;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline.Sinks;

/// <summary>
/// Encodes frames to a file through ffmpeg (<see cref="OutputFormat"/> picks the codec from the name): the
/// composited picture, the picture with its alpha, or the matte alone, at the source's frame rate, with the
/// source's audio. In live mode frames dropped upstream are filled by repeating the previous picture, so the
/// recording keeps its duration and stays in sync with the audio.
/// </summary>
public sealed class FileSink : IFrameSink
{
    private readonly FfmpegEncoder _encoder;
    private readonly OutputFormat _format;
    private readonly byte[] _packed;      // rgba or gray frame when the encoder is not fed rgb24 directly
    private readonly byte[]? _previous;   // the last picture written, for filling gaps
    private long _nextIndex;

    public FileSink(string path, VideoFormat video, OutputContent content = OutputContent.Composite, string? codec = null, bool fillGaps = false)
    {
        if (video.Width % 2 != 0 || video.Height % 2 != 0)
            throw new ArgumentException($"video with 4:2:0 chroma needs even dimensions; got {video.Width}x{video.Height}");
        _format = OutputFormat.For(path, codec, content);
        string? audio = _format.AudioArgs is null ? null : video.AudioFrom;
        _encoder = new FfmpegEncoder(path, video.Width, video.Height, video.Rate, _format.Pixels, _format.CodecArgs, audio, _format.AudioArgs);
        _packed = _format.Pixels == RawPixelFormat.Rgb24 ? [] : new byte[_encoder.FrameBytes];
        _previous = fillGaps ? new byte[_encoder.FrameBytes] : null;
        Description = $"{path}: {_format.Name}{(audio is null ? "" : " + audio from the input")}";
    }

    public string Description { get; }
    public long FramesWritten => _encoder.FramesWritten;

    public void Write(Frame frame)
    {
        ReadOnlySpan<byte> picture = _format.Pixels switch
        {
            RawPixelFormat.Rgb24 => frame.Image.Pixels,
            RawPixelFormat.Rgba => PackRgba(frame.Image, frame.Alpha),
            _ => PackGray(frame.Alpha),
        };
        if (_previous != null)
        {
            for (; _nextIndex < frame.Index; _nextIndex++) _encoder.Write(_previous);
            picture.CopyTo(_previous);
        }
        _encoder.Write(picture);
        _nextIndex = frame.Index + 1;
    }

    private byte[] PackRgba(RgbImage image, FloatPlane alpha)
    {
        for (int y = 0; y < image.Height; y++)
            PixelKernels.InterleaveAlpha(image.Row(y), alpha.Row(y), _packed.AsSpan(y * image.Width * 4, image.Width * 4));
        return _packed;
    }

    private byte[] PackGray(FloatPlane alpha)
    {
        var a = alpha.Data;
        for (int i = 0; i < _packed.Length; i++) _packed[i] = PixelKernels.ToByte(a[i] * 255);
        return _packed;
    }

    public void Complete() => _encoder.Complete();

    /// <summary>Stops the encoder immediately (e.g. to unblock a stalled write on abort).</summary>
    public void Abort() => _encoder.Kill();

    public void Dispose() => _encoder.Dispose();
}
