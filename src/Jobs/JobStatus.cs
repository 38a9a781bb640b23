namespace StreamMatte.Jobs;

/// <summary>One chunk's state: done, being written (a live process on this machine, or some process elsewhere), or missing.</summary>
public sealed record ChunkState(ChunkPlan Chunk, ChunkRecord? Done, IReadOnlyList<string> InProgress)
{
    public bool IsDone => Done != null;
}

/// <summary>Which chunks of a job are done (<c>job status</c>), and the merge's precondition.</summary>
public static class JobStatus
{
    public static IReadOnlyList<ChunkState> Read(JobFolder folder, JobManifest manifest) =>
        manifest.Chunks.Select(c => new ChunkState(c, folder.Done(c.Index),
            folder.PartialDirectories(c.Index)
                .Where(p => p.Host != Environment.MachineName || ChunkRunner.IsAlive(p.Pid))
                .Select(p => p.Host == Environment.MachineName ? $"{p.Host} (pid {p.Pid})" : $"{p.Host} (pid {p.Pid}; another machine: running, or interrupted there)").ToList())).ToList();

    public static void Print(JobFolder folder, JobManifest manifest, TextWriter output)
    {
        var states = Read(folder, manifest);
        output.WriteLine($"job {folder.Directory}");
        output.WriteLine($"  {manifest.Input} → {manifest.Output}{(manifest.MatteOutput is null ? "" : $" + matte {manifest.MatteOutput}")}{(manifest.InstanceOutput is null ? "" : $" + people {manifest.InstanceOutput}")}");
        output.WriteLine($"  {manifest.TotalFrames} frames in {manifest.Chunks.Count} chunks, warm-up {manifest.WarmupFrames} frames, chunks start by {manifest.Seeking}");
        foreach (var s in states)
        {
            string state = s.Done is { } d ? $"done      {d.Host}, {d.Seconds:0.#} s"
                : s.InProgress.Count > 0 ? $"running   {string.Join(", ", s.InProgress)}"
                : "missing";
            output.WriteLine($"  chunk {s.Chunk.Index,3}  {s.Chunk.Frames,-22} {state}");
        }
        int done = states.Count(s => s.IsDone);
        output.WriteLine($"{done} of {states.Count} chunks done.");
        if (File.Exists(folder.MergedRecordPath)) output.WriteLine($"merged into {manifest.Output}.");
        else if (done == states.Count) output.WriteLine($"next: stream-matte job merge {folder.Directory}");
        else
        {
            var missing = states.Where(s => !s.IsDone && s.InProgress.Count == 0).Select(s => s.Chunk.Index).ToList();
            if (missing.Count > 0) output.WriteLine($"missing: {string.Join(", ", missing)}; next: stream-matte job run {folder.Directory} --chunk {missing[0]}");
        }
    }
}
