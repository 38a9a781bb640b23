namespace StreamMatte.Pipeline.Video;

/// <summary>Output folders are made when missing (`-o out/result.mp4` in a fresh checkout); failing that, a clear error.</summary>
public static class OutputFolder
{
    /// <param name="what">How the error names the folder, e.g. "output folder".</param>
    public static void Ensure(string directory, string what)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the {what} '{directory}': {e.Message}", e);
        }
    }
}
