using System.Globalization;
using FFMpegCore;

namespace StreamMatte.Pipeline.Video;

/// <summary>What ffprobe says about a media file's first video stream (and whether there is audio), through FFMpegCore's <see cref="FFProbe"/>.</summary>
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
        IMediaAnalysis analysis;
        // FFProbe wants an existing file: a sequence is probed by its first picture (the same size, format and, with
        // image2's default, the same 25 fps), and counted here.
        string probed = sequence ? ImageSequence.FileFor(path, ImageSequence.FirstNumber(path)!.Value) : path;
        try { analysis = AnalyseAnyPath(probed, countFrames ? "-count_frames" : null); }
        catch (FFMpegCore.Exceptions.FFMpegException e) { throw new FfmpegException($"'{path}' is not a readable video or image: {OneLine(e.Message)}"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FfmpegException($"ffprobe could not be started ({e.Message}): install ffmpeg (./setup.sh does) and make sure it is on PATH");
        }
        // The typed streams give sizes and names; the rational rate ("30000/1001") and frame counts are in ffprobe's own fields.
        var video = analysis.Raw.Streams.FirstOrDefault(s => s.CodecType == "video")
            ?? throw new FfmpegException($"'{path}' has no video stream");
        string rate = video.AvgFrameRate is { Length: > 0 } avg && avg != "0/0" ? avg : video.FrameRate ?? "0/1";
        int? frames = null;
        foreach (var key in countFrames ? new[] { "nb_read_frames", "nb_frames" } : ["nb_frames"])
            if (frames == null && video.ExtensionData?.TryGetValue(key, out var f) == true && int.TryParse(f.GetString(), out int n)) frames = n;
        if (sequence) frames = ImageSequence.Count(path);
        else if (frames == null && IsStillPicture(analysis.Format.FormatName)) frames = 1;
        return new MediaInfo(video.Width ?? 0, video.Height ?? 0, ParseRate(rate), rate, frames, analysis.AudioStreams.Count > 0,
            video.PixelFormat ?? "", video.CodecName ?? "");
    }

    /// <summary>
    /// FFProbe puts the path between double quotes without escaping it, so a name with a double quote in it would be cut
    /// there: such a file is probed through a symbolic link with a plain name.
    /// </summary>
    private static IMediaAnalysis AnalyseAnyPath(string path, string? arguments)
    {
        if (!path.Contains('"')) return FFProbe.Analyse(path, ProbeOptions, arguments);
        string folder = Directory.CreateTempSubdirectory("stream-matte-probe-").FullName;
        try
        {
            string link = Path.Combine(folder, "probed" + Path.GetExtension(path).Replace("\"", ""));
            File.CreateSymbolicLink(link, Path.GetFullPath(path));
            return FFProbe.Analyse(link, ProbeOptions, arguments);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static readonly FFOptions ProbeOptions = new() { LogLevel = FFMpegCore.Enums.FFMpegLogLevel.Error };

    private static string OneLine(string text) => string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A single picture: ffmpeg reads it with its image demuxer (image2, or png_pipe, webp_pipe, …), one frame.</summary>
    private static bool IsStillPicture(string? formatName) =>
        formatName is { } n && (n == "image2" || n.EndsWith("_pipe", StringComparison.Ordinal));

    private static double ParseRate(string rate)
    {
        var parts = rate.Split('/');
        double num = double.Parse(parts[0], CultureInfo.InvariantCulture);
        double den = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
        return den == 0 ? 0 : num / den;
    }
}
