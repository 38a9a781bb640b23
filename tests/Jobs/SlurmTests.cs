using System.Diagnostics;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>
/// A real single-node Slurm for the tests: tests/Jobs/slurm-local.sh installs Debian's slurm-wlm and munge when missing
/// (apt) and starts munged, slurmctld and slurmd with a private configuration; they are stopped when the tests end.
/// Where that is impossible (not root, no apt) the Slurm test is skipped with a message saying so — except under CI,
/// where it fails, since CI runs as root with apt.
/// </summary>
public sealed class LocalSlurm : IDisposable
{
    private readonly string _script = Path.Combine(SharedAssets.RepositoryRoot, "tests", "Jobs", "slurm-local.sh");
    private readonly string _state = Path.Combine(Path.GetTempPath(), "stream-matte-tests", "slurm-" + Environment.ProcessId);

    public string? Conf { get; }
    public string? Problem { get; }

    public LocalSlurm()
    {
        var (code, output, error) = Script("start", TimeSpan.FromMinutes(10));
        string? conf = output.Split('\n').FirstOrDefault(l => l.StartsWith("SLURM_CONF=", StringComparison.Ordinal))?["SLURM_CONF=".Length..].Trim();
        if (code == 0 && conf != null) Conf = conf;
        else Problem = $"tests/Jobs/slurm-local.sh start failed (exit code {code}): {error.Trim()}";
    }

    private (int Code, string Out, string Err) Script(string command, TimeSpan limit)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { _script, command, _state }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "", $"slurm-local.sh {command} did not finish in {limit.TotalMinutes:0} minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        var (code, _, error) = Script("stop", TimeSpan.FromMinutes(1));
        if (code != 0) Console.Error.WriteLine($"stopping the test Slurm failed: {error}");
    }
}

public class SlurmTests(LocalSlurm slurm) : IClassFixture<LocalSlurm>
{
    private const int Frames = 24, Width = 160, Height = 96;

    private static string PlannedJob(string root, out string clip, out string output)
    {
        clip = StampedClip.Make(root, Frames, Width, Height);
        output = Path.Combine(root, "merged", "out.mov");
        string dir = Path.Combine(root, "job");
        var (code, _, err) = Tool.Run("job", "plan", "-i", clip, "-o", output, "--chunks", "3", "--warmup", "6", "--dir", dir, "-b", "transparent", "--decontaminate", "false");
        Assert.True(code == 0, err);
        return dir;
    }

    [SkippableFact]
    public void A_job_array_of_three_chunks_and_the_merge_run_through_sbatch_on_a_local_Slurm()
    {
        if (slurm.Conf is null)
        {
            string message = $"SLURM TEST NOT RUN: no local Slurm could be started here. {slurm.Problem}";
            Console.Error.WriteLine(message);
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message);
            Skip.If(true, message);
        }
        string root = Tool.TempDir();
        string dir = PlannedJob(root, out string clip, out string output);
        string single = Path.Combine(root, "single.mov");
        var (code, _, err) = Tool.Run("-i", clip, "-o", single, "-b", "transparent", "--decontaminate", "false");
        Assert.True(code == 0, err);

        (code, _, err) = Tool.RunWith(new Dictionary<string, string> { ["SLURM_CONF"] = slurm.Conf! }, "job", "slurm", dir, "--submit", "--wait", "--time", "00:10:00");
        string logs = string.Join("\n", Directory.Exists(Path.Combine(dir, "logs")) ? Directory.GetFiles(Path.Combine(dir, "logs")).Select(f => $"{Path.GetFileName(f)}: {File.ReadAllText(f)}") : []);
        Assert.True(code == 0, $"{err}\n{logs}");
        Assert.Contains("submitted the chunks as job array", err);

        // Each array task rendered its own chunk (index from SLURM_ARRAY_TASK_ID), the dependent job merged them.
        for (int i = 0; i < 3; i++)
            Assert.Contains($"chunk {i} done", File.ReadAllText(Path.Combine(dir, "logs", $"chunk_{i}.log")));
        Assert.Contains($"merged {Frames} frames", File.ReadAllText(Path.Combine(dir, "logs", "merge.log")));
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i), StampedClip.Stamps(output));
        double psnr = StampedClip.Psnr(StampedClip.Frames(single), StampedClip.Frames(output));
        Assert.True(psnr >= 45, $"PSNR against a single run: {psnr:0.00} dB");
    }
}

/// <summary>The sbatch scripts themselves (no Slurm needed).</summary>
public class SlurmScriptTests
{
    [Fact]
    public void The_array_covers_only_the_chunks_not_done_and_asks_for_the_resources_given()
    {
        string root = Tool.TempDir();
        string clip = StampedClip.Make(root, 12, 64, 48);
        string dir = Path.Combine(root, "job");
        var (code, _, err) = Tool.Run("job", "plan", "-i", clip, "-o", Path.Combine(root, "out.mp4"), "--chunks", "4", "--dir", dir);
        Assert.True(code == 0, err);
        (code, _, err) = Tool.Run("job", "run", dir, "--chunk", "1");
        Assert.True(code == 0, err);

        (code, _, err) = Tool.Run("job", "slurm", dir, "--partition", "gpu", "--gpus-per-task", "1", "--time", "01:30:00", "--cpus-per-task", "4");
        Assert.True(code == 0, err);
        string chunks = File.ReadAllText(Path.Combine(dir, "slurm", "chunks.sbatch"));
        Assert.StartsWith("#!/bin/bash", chunks);
        Assert.Contains("#SBATCH --array=0,2-3\n", chunks);
        Assert.Contains("#SBATCH --partition=gpu\n", chunks);
        Assert.Contains("#SBATCH --gpus-per-task=1\n", chunks);
        Assert.Contains("#SBATCH --cpus-per-task=4\n", chunks);
        Assert.Contains("#SBATCH --time=01:30:00\n", chunks);
        Assert.Contains($"job run {dir}\n", chunks);
        string merge = File.ReadAllText(Path.Combine(dir, "slurm", "merge.sbatch"));
        Assert.Contains($"job merge {dir}\n", merge);
        Assert.DoesNotContain("--gpus-per-task", merge);
        Assert.Contains("--submit", err);
    }

    [Fact]
    public void A_malformed_time_limit_is_a_clear_error()
    {
        string root = Tool.TempDir();
        string clip = StampedClip.Make(root, 6, 64, 48);
        string dir = Path.Combine(root, "job");
        Assert.Equal(0, Tool.Run("job", "plan", "-i", clip, "-o", Path.Combine(root, "out.mp4"), "--chunks", "2", "--dir", dir).ExitCode);
        var (code, _, err) = Tool.Run("job", "slurm", dir, "--time", "90 minutes");
        Assert.Equal(1, code);
        Assert.Contains("--time must look like HH:MM:SS", err);
    }
}
