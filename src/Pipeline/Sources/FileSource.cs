using StreamMatte.Imaging;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline.Sources;

/// <summary>A video file, image or image sequence decoded by ffmpeg straight to rgb24, as fast as it goes.</summary>
public sealed class FileSource : IFrameSource
{
    private readonly VideoReader _reader;
    private readonly double _rate;
    private readonly string _path;
    private readonly long? _expectedFrames;
    private readonly FrameRange? _range;
    private readonly long _firstIndex;

    /// <param name="size">Scale to this size in ffmpeg (null: the file's own size, made even for 4:2:0 outputs).</param>
    /// <param name="frameRate">Resample to this rate in ffmpeg (frames dropped or repeated), null: the file's own.</param>
    /// <param name="maxFrames">Stop after this many frames.</param>
    /// <param name="range">Deliver only this stretch of the clip (replaces <paramref name="maxFrames"/>); a range that
    /// ends early is an error, never a short output.</param>
    public FileSource(string path, (int Width, int Height)? size = null, double? frameRate = null, int? maxFrames = null, FrameRange? range = null)
    {
        if (range is { Count: <= 0 or > int.MaxValue } || range is { First: < 0 } || range is { SkipFrames: < 0 })
            throw new ArgumentException($"invalid frame range {range}", nameof(range));
        if (range != null) maxFrames = (int)range.Count;
        var info = MediaInfo.Probe(path);
        var even = size ?? (info.Width & ~1, info.Height & ~1);
        _reader = new VideoReader(path, new VideoReaderOptions
        {
            Size = even == (info.Width, info.Height) ? null : even,
            FrameRate = frameRate,
            MaxFrames = maxFrames,
            SeekSeconds = range?.SeekSeconds,
            SkipFrames = range?.SkipFrames ?? 0,
        }, info);
        _rate = frameRate ?? (info.FrameRate > 0 ? info.FrameRate : 25);
        _path = path;
        long? count = frameRate is null ? info.FrameCount : null;
        _expectedFrames = maxFrames is null ? count : null;
        if (maxFrames is { } max) count = count is { } c ? Math.Min(c, max) : null;
        if (range != null) _expectedFrames = count = range.Count;
        _range = range;
        _firstIndex = range?.First ?? 0;
        Format = new VideoFormat(_reader.Width, _reader.Height, _rate, frameRate is null ? info.FrameRateText : "", count, info.HasAudio ? path : null);
        Description = $"{path} ({info.Codec}, {info.Width}x{info.Height}{(info.HasAudio ? ", audio" : "")}){(range is null ? "" : $", {range}")}";
    }

    public VideoFormat Format { get; }
    public bool IsLive => false;
    public string Description { get; }

    public bool Read(RgbImage image, out TimeSpan timestamp)
    {
        timestamp = TimeSpan.FromSeconds((_firstIndex + _reader.FramesRead) / _rate);
        if (_reader.ReadFrame(image)) return true;
        // ffmpeg stops quietly (exit 0) when a file with its index up front is cut short: compare with the header's
        // count, so a truncated file is an error and not a short output (one frame of slack for container rounding;
        // none for a range, whose frames were counted).
        long slack = _range is null ? 1 : 0;
        if (_expectedFrames is { } expected && _reader.FramesRead < expected - slack)
            throw new FfmpegException(_range is null
                ? $"'{_path}' ended after {_reader.FramesRead} of the {expected} frames its header announces: the file is truncated or corrupt"
                : $"'{_path}' ended after {_reader.FramesRead} of the {expected} frames of its {_range}: the file is shorter than planned, or changed");
        return false;
    }

    public void Dispose() => _reader.Dispose();
}
