using System.Text;

namespace StreamMatte.Pipeline.Video;

/// <summary>
/// FFMpegCore hands ffmpeg one command line (ProcessStartInfo.Arguments), which .NET splits by the Windows rules:
/// white space separates, double quotes group, and a backslash escapes a quote only where it precedes one. These turn
/// our argument lists and paths into text that splits back into exactly the same arguments.
/// </summary>
internal static class ProcessArguments
{
    /// <summary>The arguments as one command line.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(Quote));

    /// <summary>One argument, quoted when it has to be.</summary>
    public static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"') ? argument : $"\"{EscapeInQuotes(argument)}\"";

    /// <summary>The text to put between double quotes (FFMpegCore quotes paths itself) so that it comes back unchanged.</summary>
    public static string EscapeInQuotes(string text)
    {
        var s = new StringBuilder(text.Length + 8);
        int backslashes = 0;
        foreach (char c in text)
        {
            if (c == '\\') { backslashes++; continue; }
            // Backslashes before a quote are escapes: double them, then escape the quote itself.
            if (c == '"') s.Append('\\', 2 * backslashes + 1);
            else s.Append('\\', backslashes);
            backslashes = 0;
            s.Append(c);
        }
        return s.Append('\\', 2 * backslashes).ToString();   // before the closing quote
    }
}
