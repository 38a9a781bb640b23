using System.Diagnostics;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Training;

/// <summary>Runs the training code's Python (Debian's python3 with python3-torch, which `./setup.sh --tests`
/// installs) from the repository root.</summary>
internal static class Python
{
    public const string Interpreter = "/usr/bin/python3";

    public static (int ExitCode, string Output) Run(TimeSpan limit, params string[] args)
    {
        if (!File.Exists(Interpreter))
            throw new InvalidOperationException($"{Interpreter} is missing: run ./setup.sh --tests (it installs Debian's python3-torch)");
        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = SharedAssets.RepositoryRoot,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["STREAM_MATTE_SHARED"] = SharedAssets.SharedRoot;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"python3 {string.Join(' ', args)} did not finish in {limit.TotalMinutes} minutes");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Fails with the install step when python3-torch is not there.</summary>
    public static void RequireTorch()
    {
        var (code, output) = Run(TimeSpan.FromMinutes(2), "-c", "import torch, onnx, numpy, PIL, scipy");
        Assert.True(code == 0, "the training code needs Debian's python3-torch python3-onnx python3-numpy python3-pil python3-scipy: " +
                               "run ./setup.sh --tests\n" + output);
    }
}
