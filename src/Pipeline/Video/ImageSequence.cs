using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamMatte.Pipeline.Video;

/// <summary>
/// A numbered image sequence named the way ffmpeg's image2 demuxer names them ("Frame%d.jpg", "img_%05d.png"):
/// ffmpeg starts at the first existing number among 0–4 and reads while the numbers are consecutive.
/// </summary>
public static partial class ImageSequence
{
    [GeneratedRegex(@"%(0?\d*)d")]
    private static partial Regex Placeholder();

    public static bool IsPattern(string path) => Placeholder().Matches(path).Count == 1;

    /// <summary>The file for number <paramref name="n"/>.</summary>
    public static string FileFor(string pattern, int n) =>
        Placeholder().Replace(pattern, m => n.ToString("D" + (m.Groups[1].Value.Length > 0 ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1), CultureInfo.InvariantCulture));

    /// <summary>The first number ffmpeg would read, or null when none of 0–4 exists.</summary>
    public static int? FirstNumber(string pattern)
    {
        for (int n = 0; n <= 4; n++)
            if (File.Exists(FileFor(pattern, n))) return n;
        return null;
    }

    /// <summary>How many consecutive files ffmpeg will read.</summary>
    public static int Count(string pattern)
    {
        if (FirstNumber(pattern) is not { } first) return 0;
        int n = first;
        while (File.Exists(FileFor(pattern, n))) n++;
        return n - first;
    }
}
