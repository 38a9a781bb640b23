using System.Diagnostics;

namespace StreamMatte.Jobs;

/// <summary>How a chunk's run ended.</summary>
public enum ChunkOutcome { Done, AlreadyDone, Failed }

/// <summary>
/// Runs one chunk of a job, safely under a batch engine: a chunk already finished is skipped; otherwise the outputs go
/// into a folder of this process's own (<see cref="JobFolder.PartialDirectory"/>), their frame counts are checked,
/// and the folder is renamed into place in one step, so a chunk is either wholly there or not at all. What a crashed
/// or killed run of the same chunk on this machine left behind is deleted first; running the chunk again is the retry.
/// </summary>
public sealed class ChunkRunner(JobFolder folder, TextWriter log)
{
    /// <param name="render">Builds and runs the pipeline for the chunk; returns the run's exit code (0 = complete).</param>
    public (ChunkOutcome Outcome, int ExitCode) Run(int index, Func<ChunkWork, int> render)
    {
        var manifest = folder.LoadManifest();
        if (index < 0 || index >= manifest.Chunks.Count)
            throw new ArgumentException($"chunk {index} does not exist: the job has chunks 0–{manifest.Chunks.Count - 1}");
        var chunk = manifest.Chunks[index];
        if (folder.Done(index) is { } done)
        {
            log.WriteLine($"chunk {index} ({chunk.Frames}) is already done ({done.Host}, {done.Seconds:0.#} s): skipped");
            return (ChunkOutcome.AlreadyDone, 0);
        }
        RemoveLeftovers(index);

        string host = Environment.MachineName;
        int pid = Environment.ProcessId;
        string partial = folder.PartialDirectory(index, host, pid);
        Directory.CreateDirectory(partial);
        var work = new ChunkWork(manifest, chunk, partial,
            JobFolder.PartFile(partial, "main", manifest.Output),
            manifest.MatteOutput is null ? null : JobFolder.PartFile(partial, "matte", manifest.MatteOutput),
            manifest.InstanceOutput is null ? null : JobFolder.InstancesFolder(partial),
            manifest.InstanceOutput is null || chunk.Warmup == 0 ? null : JobFolder.OverlapFolder(partial));
        log.WriteLine($"chunk {index} of {manifest.Chunks.Count}: {chunk.Frames} ({chunk.Count} frames) after a warm-up of {chunk.Warmup} " +
                      $"({(chunk.SeekSeconds is { } s ? $"seek to {s:0.###} s" : chunk.SkipFrames > 0 ? $"{chunk.SkipFrames} frames counted from the start" : "from the start")}), on {host}");
        var clock = Stopwatch.StartNew();
        bool finished = false;
        try
        {
            int code = render(work);
            if (code != 0)
            {
                log.WriteLine($"chunk {index} did not finish (exit code {code}): nothing kept; run it again");
                return (ChunkOutcome.Failed, code);
            }
            Check(work.MainOutput, chunk, "output");
            if (work.MatteOutput is { } matte) Check(matte, chunk, "matte output");
            new ChunkRecord(index, chunk.First, chunk.Count, chunk.Count, host, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow).Save(partial);
            string target = folder.ChunkDirectory(index);
            try { Directory.Move(partial, target); }
            catch (IOException) when (folder.Done(index) != null)
            {
                log.WriteLine($"chunk {index} was finished by another worker meanwhile: this copy is dropped");
                return (ChunkOutcome.AlreadyDone, 0);
            }
            finished = true;
            log.WriteLine($"chunk {index} done: {chunk.Count} frames in {clock.Elapsed.TotalSeconds:0.#} s → {target}");
            return (ChunkOutcome.Done, 0);
        }
        finally
        {
            if (!finished) DeleteQuietly(partial);
        }
    }

    private static void Check(string output, ChunkPlan chunk, string what)
    {
        long frames = FrameCounter.Count(output);
        if (frames != chunk.Count)
            throw new InvalidOperationException($"chunk {chunk.Index}'s {what} holds {frames} frames instead of {chunk.Count} ({chunk.Frames}): nothing kept");
    }

    /// <summary>Folders of earlier runs of this chunk on this machine whose process is gone (crashed, killed).</summary>
    private void RemoveLeftovers(int index)
    {
        foreach (var (path, host, pid) in folder.PartialDirectories(index))
        {
            if (host != Environment.MachineName || IsAlive(pid)) continue;
            log.WriteLine($"chunk {index}: removing what an interrupted run (pid {pid}) left in {Path.GetFileName(path)}");
            DeleteQuietly(path);
        }
    }

    internal static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>An ffmpeg child of a killed run may still be closing a file in the folder: a few tries.</summary>
    private static void DeleteQuietly(string path)
    {
        for (int attempt = 0; attempt < 5 && Directory.Exists(path); attempt++)
        {
            try { Directory.Delete(path, recursive: true); }
            catch (IOException) { Thread.Sleep(200); }
            catch (UnauthorizedAccessException) { Thread.Sleep(200); }
        }
    }
}
