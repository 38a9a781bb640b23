namespace StreamMatte.Bench;

/// <summary>Where the benchmarks find the repository and the shared (never committed) models and data.</summary>
internal static class Paths
{
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Streaming.sln"))) return dir.FullName;
        throw new InvalidOperationException("run the benchmarks from inside the repository");
    }

    public static string SharedModels() => Existing(Path.Combine(RepositoryRoot(), "..", "shared", "models"));

    public static string SharedData() => Existing(Path.Combine(RepositoryRoot(), "..", "shared", "data"));

    private static string Existing(string path)
    {
        path = Path.GetFullPath(path);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"{path} is missing: these benchmarks need ../shared (third-party models and data, never committed)");
        return path;
    }
}
