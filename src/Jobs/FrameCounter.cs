using StreamMatte.Pipeline.Video;

namespace StreamMatte.Jobs;

/// <summary>How many frames a written output holds: a video's packets (ffprobe, no decoding) or a PNG sequence's files.</summary>
public static class FrameCounter
{
    public static long Count(string output)
    {
        if (ImageSequence.IsPattern(output)) return SequenceFiles(output).Count;
        string text = FfmpegProcess.Probe(["-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", output]);
        return long.TryParse(text.Trim().TrimEnd(','), out long n) ? n : throw new FfmpegException($"ffprobe could not count the frames of '{output}': {text.Trim()}");
    }

    /// <summary>The files of a PNG sequence in number order, starting at the first number that exists (0–4, like ffmpeg).</summary>
    public static IReadOnlyList<string> SequenceFiles(string pattern)
    {
        var files = new List<string>();
        if (ImageSequence.FirstNumber(pattern) is not { } first) return files;
        for (int n = first; File.Exists(ImageSequence.FileFor(pattern, n)); n++) files.Add(ImageSequence.FileFor(pattern, n));
        return files;
    }
}
