using System.Diagnostics;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>
/// One job shared by the tests that check its result: a 90-frame stamped clip (320x180, B-frames, keyframe every 12
/// frames, audio), rendered once by a single run and once as a 3-chunk job whose chunks run as three processes at the
/// same time, then merged. Output: ProRes 4444 with alpha and the picture's own colour (--background transparent
/// --decontaminate false), so the frame stamps survive and can be read back.
/// </summary>
public sealed class StampedJobFixture
{
    public const int FrameCount = 90;
    public static readonly string[] RunOptions = ["--background", "transparent", "--decontaminate", "false"];
    public const string Warmup = "20";

    public string Root { get; } = Tool.TempDir();
    public string Clip { get; }
    public string SingleRun { get; }
    public string JobDir { get; }
    public string Merged { get; }
    public string MergeLog { get; }

    public StampedJobFixture()
    {
        Clip = StampedClip.Make(Root, FrameCount);
        SingleRun = Path.Combine(Root, "single.mov");
        Merged = Path.Combine(Root, "merged", "out.mov");
        JobDir = Path.Combine(Root, "job");

        var (code, _, err) = Tool.Run(["-i", Clip, "-o", SingleRun, .. RunOptions]);
        Assert.True(code == 0, err);
        (code, _, err) = Tool.Run(["job", "plan", "-i", Clip, "-o", Merged, "--chunks", "3", "--warmup", Warmup, "--dir", JobDir, .. RunOptions]);
        Assert.True(code == 0, err);

        // The three chunks as separate processes, all at once, as three workers would.
        var workers = Enumerable.Range(0, 3).Select(i => Tool.Start(null, "job", "run", JobDir, "--chunk", i.ToString())).ToList();
        foreach (var (worker, i) in workers.Select((w, i) => (w, i)))
        {
            var stderr = worker.StandardError.ReadToEndAsync();
            worker.StandardOutput.ReadToEnd();
            Assert.True(worker.WaitForExit(TimeSpan.FromMinutes(5)), $"chunk {i} did not finish in 5 minutes");
            Assert.True(worker.ExitCode == 0, $"chunk {i}: {stderr.Result}");
            worker.Dispose();
        }
        (code, _, err) = Tool.Run("job", "merge", JobDir);
        Assert.True(code == 0, err);
        MergeLog = err;
    }

    /// <summary>
    /// A copy of the job folder holding only the given finished chunks (what the job looked like before the others
    /// ran), merging into <paramref name="output"/> instead.
    /// </summary>
    public string CopyWithChunks(string destination, string output, params int[] chunks)
    {
        Directory.CreateDirectory(Path.Combine(destination, "parts"));
        File.WriteAllText(Path.Combine(destination, "job.json"), File.ReadAllText(Path.Combine(JobDir, "job.json")).Replace(Merged, output));
        foreach (int c in chunks)
        {
            string from = Path.Combine(JobDir, "parts", $"chunk_{c:D3}"), to = Path.Combine(destination, "parts", $"chunk_{c:D3}");
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        return destination;
    }

    public static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: false); } catch (InvalidOperationException) { }
        process.WaitForExit();
    }
}
