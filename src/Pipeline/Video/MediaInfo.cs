using System.Globalization;
using System.Text.Json;

namespace StreamMatte.Pipeline.Video;

/// <summary>What ffprobe says about a media file's first video stream (and whether there is audio).</summary>
public sealed record MediaInfo(int Width, int Height, double FrameRate, string FrameRateText, int? FrameCount, bool HasAudio, string PixelFormat, string Codec)
{
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FfmpegException">Not a media file ffmpeg can read, or no video stream.</exception>
    public static MediaInfo Probe(string path, bool countFrames = false)
    {
        bool sequence = ImageSequence.IsPattern(path) && !File.Exists(path);
        if (sequence ? ImageSequence.FirstNumber(path) == null : !File.Exists(path))
            throw new FileNotFoundException(sequence
                ? $"input '{path}' names an image sequence, but none of its first files ({ImageSequence.FileFor(path, 0)} … {ImageSequence.FileFor(path, 4)}) exists"
                : $"input '{path}' does not exist", path);
        var args = new List<string> { "-print_format", "json", "-show_streams", "-show_format" };
        if (countFrames) args.Add("-count_frames");
        args.Add(path);
        string json;
        try { json = FfmpegProcess.Probe(args); }
        catch (FfmpegException e) { throw new FfmpegException($"'{path}' is not a readable video or image: {e.Message}"); }
        using var doc = JsonDocument.Parse(json);
        JsonElement? video = null;
        bool audio = false;
        foreach (var s in doc.RootElement.GetProperty("streams").EnumerateArray())
        {
            string type = s.GetProperty("codec_type").GetString() ?? "";
            if (type == "video" && video == null) video = s;
            if (type == "audio") audio = true;
        }
        if (video is not { } v) throw new FfmpegException($"'{path}' has no video stream");
        string rate = v.TryGetProperty("avg_frame_rate", out var r) && r.GetString() is { } avg && avg != "0/0" ? avg
            : v.GetProperty("r_frame_rate").GetString() ?? "0/1";
        int? frames = null;
        foreach (var key in countFrames ? new[] { "nb_read_frames", "nb_frames" } : ["nb_frames"])
            if (frames == null && v.TryGetProperty(key, out var f) && int.TryParse(f.GetString(), out int n)) frames = n;
        if (sequence) frames = ImageSequence.Count(path);
        else if (frames == null && IsStillPicture(doc.RootElement)) frames = 1;
        return new MediaInfo(v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32(), ParseRate(rate), rate, frames, audio,
            v.TryGetProperty("pix_fmt", out var pf) ? pf.GetString() ?? "" : "", v.GetProperty("codec_name").GetString() ?? "");
    }

    /// <summary>A single picture: ffmpeg reads it with its image demuxer (image2, or png_pipe, webp_pipe, …), one frame.</summary>
    private static bool IsStillPicture(JsonElement root) =>
        root.TryGetProperty("format", out var format) && format.TryGetProperty("format_name", out var name)
        && name.GetString() is { } n && (n == "image2" || n.EndsWith("_pipe", StringComparison.Ordinal));

    private static double ParseRate(string rate)
    {
        var parts = rate.Split('/');
        double num = double.Parse(parts[0], CultureInfo.InvariantCulture);
        double den = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
        return den == 0 ? 0 : num / den;
    }
}
