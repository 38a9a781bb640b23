namespace StreamMatte.Tests.Support;

/// <summary>
/// The third-party models and real data in ../shared (never committed: licences). Tests that need them call
/// <see cref="RequireModel"/>/<see cref="RequireData"/>, which fail with a clear message naming what is missing
/// when ../shared is absent.
/// </summary>
public static class SharedAssets
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SharedRoot { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string ModelsDir => Path.Combine(SharedRoot, "models");
    public static string DataDir => Path.Combine(SharedRoot, "data");

    public static string RequireModel(string fileName) => Require(Path.Combine(ModelsDir, fileName));
    public static string RequireData(string relativePath) => Require(Path.Combine(DataDir, relativePath));

    private static string Require(string path)
    {
        if (File.Exists(path) || Directory.Exists(path)) return path;
        throw new InvalidOperationException(
            $"test material '{path}' is missing: these tests use the real models and data in ../shared beside the repository (see ../shared/README.md).");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Streaming.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Streaming.sln) above " + AppContext.BaseDirectory);
    }
}
