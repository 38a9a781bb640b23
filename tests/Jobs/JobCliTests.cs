using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>`job` on the command line: what it teaches and what it refuses, in one line each.</summary>
public class JobCliTests
{
    private static readonly Lazy<string> Clip = new(() => StampedClip.Make(Tool.TempDir(), 6, 64, 48));

    [Fact]
    public void Job_help_teaches_the_workflow()
    {
        var (code, output, _) = Tool.Run("job", "--help");
        Assert.Equal(0, code);
        foreach (var word in new[] { "plan", "run", "status", "merge", "slurm", "k8s", "warm-up", "Examples:" }) Assert.Contains(word, output);
    }

    [Theory]
    [InlineData("--fps", "10", "--fps resamples the whole clip")]
    [InlineData("--keep", "2", "--keep/--remove by person number cannot be used in a job")]
    [InlineData("--realtime", null, "--realtime plays a file live")]
    [InlineData("--smoothing", "3", "--smoothing must be between 0 and 0.95")]
    public void Plan_refuses_what_a_job_cannot_do_before_any_worker_starts(string option, string? value, string message)
    {
        string dir = Path.Combine(Tool.TempDir(), "job");
        string[] extra = value is null ? [option] : [option, value];
        var (code, _, err) = Tool.Run(["job", "plan", "-i", Clip.Value, "-o", Path.Combine(dir, "..", "o.mp4"), "--chunks", "2", "--dir", dir, .. extra]);
        Assert.Equal(1, code);
        Assert.Contains(message, err);
        Assert.False(File.Exists(Path.Combine(dir, "job.json")));
    }

    [Fact]
    public void Plan_stores_the_run_options_with_absolute_paths_and_the_model_pinned()
    {
        string root = Tool.TempDir();
        File.WriteAllText(Path.Combine(root, "c.json"), "{\"smoothing\": 0.5}");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "stream-matte.dll"), "job", "plan", "-i", Clip.Value, "-o", "out/o.mp4", "--chunks", "2", "--dir", "job", "--config", "c.json", "-b", "green" })
            info.ArgumentList.Add(a);
        using (var p = System.Diagnostics.Process.Start(info)!)
        {
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, err);
        }
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "job", "job.json")));
        var args = manifest.RootElement.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(Path.Combine(root, "out", "o.mp4"), args[args.IndexOf("--output") + 1]);
        Assert.Equal("green", args[args.IndexOf("--background") + 1]);
        Assert.Equal("0.5", args[args.IndexOf("--smoothing") + 1]);   // from --config
        Assert.DoesNotContain("--config", args);
        Assert.EndsWith(".onnx", args[args.IndexOf("--model") + 1]);
        Assert.True(Path.IsPathRooted(args[args.IndexOf("--model") + 1]));
    }

    [Fact]
    public void Run_without_a_chunk_index_says_where_it_looks_for_one()
    {
        string root = Tool.TempDir(), dir = Path.Combine(root, "job");
        Assert.Equal(0, Tool.Run("job", "plan", "-i", Clip.Value, "-o", Path.Combine(root, "o.mp4"), "--chunks", "2", "--dir", dir).ExitCode);
        var (code, _, err) = Tool.Run("job", "run", dir);
        Assert.Equal(1, code);
        Assert.Contains("pass --chunk I, or run under a Slurm job array ($SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job ($JOB_COMPLETION_INDEX)", err);
        (code, _, err) = Tool.Run("job", "run", dir, "--chunk", "5");
        Assert.Equal(1, code);
        Assert.Contains("chunk 5 does not exist: the job has chunks 0–1", err);
    }

    [Fact]
    public void A_folder_that_is_not_a_job_is_a_clear_error()
    {
        var (code, _, err) = Tool.Run("job", "status", Tool.TempDir());
        Assert.Equal(1, code);
        Assert.Contains("is not a job folder: it has no job.json", err);
    }
}
