using System.Diagnostics;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>
/// plan → three chunk processes → merge on a generated clip with stamped frame numbers: every frame once and in order,
/// the input's audio, the frames of a single run; a killed chunk run again, a merge with a chunk missing.
/// </summary>
public class JobRunTests(StampedJobFixture job) : IClassFixture<StampedJobFixture>
{
    [Fact]
    public void The_merged_output_has_every_frame_of_the_input_once_and_in_order()
    {
        var stamps = StampedClip.Stamps(job.Merged);
        Assert.Equal(Enumerable.Range(0, StampedJobFixture.FrameCount).Select(i => (long)i), stamps);
        Assert.Contains($"merged {StampedJobFixture.FrameCount} frames", job.MergeLog);
    }

    [Fact]
    public void The_merged_output_carries_the_input_s_audio()
    {
        Assert.True(StampedClip.HasAudio(job.Merged), "the merged output has no audio track");
        // The parts themselves have none: the merge takes it from the input once.
        Assert.False(StampedClip.HasAudio(Path.Combine(job.JobDir, "parts", "chunk_001", "main.mov")));
    }

    [Fact]
    public void The_merged_output_matches_a_single_run()
    {
        double psnr = StampedClip.Psnr(StampedClip.Frames(job.SingleRun), StampedClip.Frames(job.Merged));
        Console.WriteLine($"3-chunk job vs single run: PSNR {psnr:0.00} dB");
        Assert.True(psnr >= 45, $"PSNR against a single run is {psnr:0.00} dB");
    }

    [Fact]
    public void Status_lists_every_chunk_as_done()
    {
        var (code, output, err) = Tool.Run("job", "status", job.JobDir);
        Assert.True(code == 0, err);
        Assert.Contains("chunk   0  frames 0–29", output);
        Assert.Contains("3 of 3 chunks done.", output);
        Assert.Contains("merged into", output);
    }

    [Fact]
    public void A_chunk_already_done_is_skipped()
    {
        var before = File.GetLastWriteTimeUtc(Path.Combine(job.JobDir, "parts", "chunk_002", "main.mov"));
        var (code, _, err) = Tool.Run("job", "run", job.JobDir, "--chunk", "2");
        Assert.True(code == 0, err);
        Assert.Contains("chunk 2 (frames 60–89) is already done", err);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(job.JobDir, "parts", "chunk_002", "main.mov")));
    }

    [Fact]
    public void Merging_with_a_chunk_missing_fails_naming_it_and_writes_nothing()
    {
        string root = Tool.TempDir(), output = Path.Combine(root, "out", "never.mov");
        string dir = job.CopyWithChunks(Path.Combine(root, "job"), output, 0, 2);
        var (code, _, err) = Tool.Run("job", "merge", dir);
        Assert.Equal(1, code);
        Assert.Contains("chunk 1 (frames 30–59) is missing", err);
        Assert.Contains("Nothing was written", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)) && Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!).Any(),
            "the merge left something in the output folder");
        var (_, status, _) = Tool.Run("job", "status", dir);
        Assert.Contains("missing: 1; next: stream-matte job run", status);
    }

    [Fact]
    public void A_chunk_killed_mid_way_and_run_again_gives_the_same_merged_output()
    {
        string root = Tool.TempDir(), output = Path.Combine(root, "out.mov");
        string dir = job.CopyWithChunks(Path.Combine(root, "job"), output, 0, 2);

        // Chunk 1 is killed (SIGKILL, no chance to clean up) once it has written part of its output.
        using (var worker = Tool.Start(null, "job", "run", dir, "--chunk", "1"))
        {
            _ = worker.StandardOutput.ReadToEndAsync();
            _ = worker.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!HasPartialOutput(dir) && !worker.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(50);
            Assert.False(worker.HasExited, "the chunk finished before it could be killed");
            StampedJobFixture.Kill(worker);
        }
        Assert.False(Directory.Exists(Path.Combine(dir, "parts", "chunk_001")), "a killed chunk must not count as done");
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(dir, "parts"), ".chunk_001.*"));

        var (code, _, err) = Tool.Run("job", "run", dir, "--chunk", "1");
        Assert.True(code == 0, err);
        Assert.Contains("removing what an interrupted run", err);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, "parts"), ".chunk_001.*"));
        (code, _, err) = Tool.Run("job", "merge", dir);
        Assert.True(code == 0, err);

        Assert.Equal(Enumerable.Range(0, StampedJobFixture.FrameCount).Select(i => (long)i), StampedClip.Stamps(output));
        double psnr = StampedClip.Psnr(StampedClip.Frames(job.Merged), StampedClip.Frames(output));
        Assert.True(psnr >= 60, $"the re-run chunk's merge differs from the first one's: PSNR {psnr:0.00} dB");
    }

    private static bool HasPartialOutput(string dir) =>
        Directory.GetDirectories(Path.Combine(dir, "parts"), ".chunk_001.*")
            .SelectMany(d => Directory.GetFiles(d)).Any(f => new FileInfo(f).Length > 100_000);
}
