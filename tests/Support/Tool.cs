using System.Diagnostics;

namespace StreamMatte.Tests.Support;

/// <summary>The real stream-matte tool run as a process (as users run it), and scratch folders for its outputs.</summary>
public static class Tool
{
    public static (int ExitCode, string Out, string Err) Run(params string[] args) => RunWith(null, args);

    /// <summary>Runs the tool with extra environment variables (e.g. a batch engine's task index).</summary>
    public static (int ExitCode, string Out, string Err) RunWith(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), "stream-matte did not finish in 5 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the tool without waiting (stdout and stderr redirected: the caller drains or ignores them).</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stream-matte.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment != null) foreach (var (name, value) in environment) info.Environment[name] = value;
        return Process.Start(info)!;
    }

    /// <summary>A new empty folder under the system's temp folder.</summary>
    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "stream-matte-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A picture decoded by ffmpeg as 8-bit grey (the reference reader for the PNGs we write).</summary>
    public static byte[] ReadGray(string path, int width, int height) => Read(path, "gray", width, height, 1);

    /// <summary>A picture decoded by ffmpeg as rgb24.</summary>
    public static byte[] ReadRgb(string path, int width, int height) => Read(path, "rgb24", width, height, 3);

    private static byte[] Read(string path, string pixelFormat, int width, int height, int bytesPerPixel)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-loglevel", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", pixelFormat, "-" }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var buffer = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(buffer);
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "ffmpeg did not finish");
        Assert.True(p.ExitCode == 0, $"ffmpeg could not read {path}: {stderr.Result}");
        Assert.Equal(width * height * bytesPerPixel, buffer.Length);
        return buffer.ToArray();
    }

    /// <summary>Runs ffmpeg with <paramref name="args"/> and fails the test with its message if it fails.</summary>
    public static void Ffmpeg(params string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-loglevel", "error", "-y" }.Concat(args)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "ffmpeg did not finish");
        Assert.True(p.ExitCode == 0, $"ffmpeg failed: {stderr.Result}");
    }
}
