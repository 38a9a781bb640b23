namespace StreamMatte.Jobs;

/// <summary>
/// How a batch engine's worker starts stream-matte: by default the way this process was started (the apphost, or
/// <c>dotnet …/stream-matte.dll</c>), which is right when the nodes share the installation's path; otherwise the user names it.
/// </summary>
public static class WorkerCommand
{
    public static string Default()
    {
        string? process = Environment.ProcessPath;
        string dll = Path.Combine(AppContext.BaseDirectory, "stream-matte.dll");
        if (process != null && Path.GetFileNameWithoutExtension(process) is "dotnet" && File.Exists(dll))
            return $"{ShellQuote(process)} {ShellQuote(dll)}";
        return ShellQuote(process ?? "stream-matte");
    }

    /// <summary>A word for sh, quoted only when it needs to be.</summary>
    public static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";
}
