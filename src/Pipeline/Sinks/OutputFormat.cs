namespace StreamMatte.Pipeline.Sinks;

/// <summary>What a file output holds: the composited picture, the picture with transparency, or the matte alone.</summary>
public enum OutputContent { Composite, Transparent, Matte }

/// <summary>
/// A file output format: container, codec arguments, the raw pixels it is fed, and how audio is carried.
/// Chosen from the file name (and <c>--codec</c>): .mp4/.mkv H.264 (or HEVC), .mov ProRes 4444 with alpha,
/// .webm VP9 with alpha, NAME_%05d.png a PNG sequence with alpha.
/// </summary>
public sealed record OutputFormat(string Name, Video.RawPixelFormat Pixels, IReadOnlyList<string> CodecArgs, IReadOnlyList<string>? AudioArgs, bool CarriesAlpha)
{
    // Sensible quality for the web: CRF 18 is visually lossless for H.264, veryfast keeps up with real time on 2 cores.
    public static readonly OutputFormat H264 = new("H.264 (CRF 18)", Video.RawPixelFormat.Rgb24,
        ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"], ["-c:a", "copy"], false);

    public static readonly OutputFormat Hevc = new("HEVC (CRF 22)", Video.RawPixelFormat.Rgb24,
        ["-c:v", "libx265", "-preset", "fast", "-crf", "22", "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-x265-params", "log-level=error"], ["-c:a", "copy"], false);

    public static readonly OutputFormat ProRes4444 = new("ProRes 4444 with alpha", Video.RawPixelFormat.Rgba,
        ["-c:v", "prores_ks", "-profile:v", "4444", "-pix_fmt", "yuva444p10le", "-vendor", "apl0"], ["-c:a", "copy"], true);

    public static readonly OutputFormat Vp9Alpha = new("VP9 with alpha", Video.RawPixelFormat.Rgba,
        ["-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p", "-crf", "30", "-b:v", "0", "-row-mt", "1", "-deadline", "realtime", "-cpu-used", "8"],
        ["-c:a", "libopus", "-b:a", "128k"], true);

    /// <summary>Lossless FFV1 in Matroska, RGB kept as RGB (no 4:2:0): every pixel comes back exactly, for archiving and checks.</summary>
    public static readonly OutputFormat Ffv1 = new("FFV1 lossless RGB", Video.RawPixelFormat.Rgb24,
        ["-c:v", "ffv1", "-level", "3", "-pix_fmt", "bgr0"], ["-c:a", "copy"], false);

    public static readonly OutputFormat PngSequence = new("PNG sequence with alpha", Video.RawPixelFormat.Rgba, ["-c:v", "png", "-f", "image2"], null, true);

    /// <summary>The matte as a grayscale H.264 video (white = person), for compositing elsewhere.</summary>
    public static readonly OutputFormat MatteH264 = new("matte (grayscale H.264)", Video.RawPixelFormat.Gray,
        ["-c:v", "libx264", "-preset", "veryfast", "-crf", "12", "-pix_fmt", "yuv420p"], null, false);

    /// <summary>The format for a path, a codec request ("h264", "hevc" or null) and the content.</summary>
    public static OutputFormat For(string path, string? codec, OutputContent content)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        bool sequence = path.Contains('%');
        if (sequence && ext != ".png") throw new ArgumentException($"image sequences are written as PNG: use a name like out_%05d.png (got '{path}')");
        if (content == OutputContent.Matte)
            return sequence ? PngSequence with { Name = "matte PNG sequence", Pixels = Video.RawPixelFormat.Gray, CarriesAlpha = false } : MatteH264;
        var format = (ext, codec?.ToLowerInvariant()) switch
        {
            (_, _) when sequence => PngSequence,
            (".mov", null or "prores") => ProRes4444,
            (".webm", null or "vp9") => Vp9Alpha,
            (".mp4" or ".mkv" or ".m4v" or ".mov", "hevc" or "h265") => Hevc,
            (".mp4" or ".mkv" or ".m4v", null or "h264") => H264,
            (".mkv", "ffv1" or "lossless") => Ffv1,
            (".png", _) => throw new ArgumentException($"for PNG output give a sequence pattern like out_%05d.png (got '{path}')"),
            _ => throw new ArgumentException(
                $"cannot write '{path}'{(codec is null ? "" : $" with codec '{codec}'")}: use .mp4/.mkv (H.264, or --codec hevc; .mkv also --codec ffv1, lossless), .mov (ProRes 4444 + alpha), .webm (VP9 + alpha) or NAME_%05d.png"),
        };
        if (content == OutputContent.Transparent && !format.CarriesAlpha)
            throw new ArgumentException($"--background transparent needs an output that keeps alpha: .mov (ProRes 4444), .webm (VP9) or NAME_%05d.png, not {format.Name}");
        if (ext is ".mp4" or ".m4v" or ".mov" && !sequence) format = format with { CodecArgs = [.. format.CodecArgs, "-movflags", "+faststart"] };
        return format;
    }
}
