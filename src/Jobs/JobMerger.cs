using System.Text.Json;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Jobs;

/// <summary>What the merge wrote.</summary>
public sealed record MergeRecord(string Output, long Frames, IReadOnlyList<string> Written, DateTimeOffset Finished);

/// <summary>
/// Joins the chunks' parts into the job's outputs, without re-encoding: videos through ffmpeg's concat demuxer with
/// stream copy (every part starts with a keyframe of the same codec and settings) and the input's audio muxed in
/// as a normal run does; PNG sequences and per-person mattes by moving the files into place under their frame
/// numbers. Nothing is written unless every chunk is done; each joined video is checked to hold exactly the job's
/// frame count before it is moved into place.
/// </summary>
public sealed class JobMerger(JobFolder folder, TextWriter log)
{
    public MergeRecord Merge()
    {
        var manifest = folder.LoadManifest();
        var states = JobStatus.Read(folder, manifest);
        var missing = states.Where(s => !s.IsDone).ToList();
        if (missing.Count > 0)
        {
            string which = string.Join("; ", missing.Select(s => $"chunk {s.Chunk.Index} ({s.Chunk.Frames}){(s.InProgress.Count > 0 ? $" is still running on {string.Join(", ", s.InProgress)}" : " is missing")}"));
            throw new InvalidOperationException($"cannot merge {folder.Directory}: {which}. Nothing was written. Run it with `stream-matte job run {folder.Directory} --chunk {missing[0].Chunk.Index}` (see `stream-matte job status`)");
        }
        // PNG parts and per-person mattes are moved, not copied: a second merge would find them gone.
        bool moves = Outputs(manifest).Any(o => ImageSequence.IsPattern(o.Output)) || manifest.InstanceOutput != null;
        if (moves && File.Exists(folder.MergedRecordPath))
            throw new InvalidOperationException($"{folder.Directory} was already merged into {manifest.Output} (its PNG parts were moved there)");

        var chunkDirs = manifest.Chunks.Select(c => folder.ChunkDirectory(c.Index)).ToList();
        var written = new List<string>();
        // Videos first, each to a temporary name and checked: nothing final is touched until all of them are good.
        var staged = new List<(string Temporary, string Final)>();
        try
        {
            foreach (var (role, output, content) in Outputs(manifest))
            {
                if (ImageSequence.IsPattern(output)) continue;
                staged.Add((Concatenate(manifest, chunkDirs, role, output, content), output));
            }
            foreach (var (role, output, _) in Outputs(manifest))
                if (ImageSequence.IsPattern(output)) CheckSequenceParts(manifest, chunkDirs, role, output);
            foreach (var (temporary, final) in staged)
            {
                File.Move(temporary, final, overwrite: true);
                written.Add(final);
            }
            staged.Clear();
        }
        finally
        {
            foreach (var (temporary, _) in staged) if (File.Exists(temporary)) File.Delete(temporary);
        }
        foreach (var (role, output, _) in Outputs(manifest))
            if (ImageSequence.IsPattern(output)) { MoveSequence(manifest, chunkDirs, role, output); written.Add(output); }
        if (manifest.InstanceOutput is { } people)
        {
            var report = new PeopleStitcher(manifest, chunkDirs).MoveInto(people);
            log.WriteLine($"people: {report}");
            written.Add(people);
        }
        var record = new MergeRecord(manifest.Output, manifest.TotalFrames, written, DateTimeOffset.UtcNow);
        File.WriteAllText(folder.MergedRecordPath, JsonSerializer.Serialize(record, JobManifest.Json));
        return record;
    }

    private static IEnumerable<(string Role, string Output, OutputContent Content)> Outputs(JobManifest manifest)
    {
        yield return ("main", manifest.Output, manifest.Transparent ? OutputContent.Transparent : OutputContent.Composite);
        if (manifest.MatteOutput is { } matte) yield return ("matte", matte, OutputContent.Matte);
    }

    /// <summary>Joins one output's video parts into a temporary file beside it and checks its frame count; returns that file.</summary>
    private string Concatenate(JobManifest manifest, IReadOnlyList<string> chunkDirs, string role, string output, OutputContent content)
    {
        var format = OutputFormat.For(output, content == OutputContent.Matte ? null : manifest.Codec, content);
        string directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        OutputFolder.Ensure(directory, "output folder");
        string list = Path.Combine(folder.Directory, $"concat_{role}.txt");
        File.WriteAllLines(list, chunkDirs.Select(d => $"file '{JobFolder.PartFile(d, role, output).Replace("'", "'\\''")}'"));
        string temporary = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(output)}.merging{Path.GetExtension(output)}");
        var args = new List<string> { "-y", "-f", "concat", "-safe", "0", "-i", list };
        bool audio = format.AudioArgs != null && manifest.InputHasAudio;
        if (audio) args.AddRange(["-i", manifest.Input, "-map", "0:v:0", "-map", "1:a:0?"]);
        else args.AddRange(["-map", "0:v:0"]);
        args.AddRange(["-c:v", "copy"]);
        if (audio) args.AddRange(format.AudioArgs!);
        if (format == OutputFormat.Hevc || format.CodecArgs.Contains("libx265")) args.AddRange(["-tag:v", "hvc1"]);
        if (Path.GetExtension(output).ToLowerInvariant() is ".mp4" or ".m4v" or ".mov") args.AddRange(["-movflags", "+faststart"]);
        args.Add(temporary);
        log.WriteLine($"joining {chunkDirs.Count} parts into {output} ({format.Name}, stream copy{(audio ? ", audio from the input" : "")})");
        try
        {
            using (var ffmpeg = FfmpegProcess.Start(args)) ffmpeg.WaitForExit();
            long frames = FrameCounter.Count(temporary);
            if (frames != manifest.TotalFrames)
                throw new InvalidOperationException($"the joined {role} output holds {frames} frames, the job {manifest.TotalFrames}: nothing was written");
            return temporary;
        }
        catch
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            throw;
        }
    }

    private static void CheckSequenceParts(JobManifest manifest, IReadOnlyList<string> chunkDirs, string role, string output)
    {
        for (int i = 0; i < chunkDirs.Count; i++)
        {
            long files = FrameCounter.SequenceFiles(JobFolder.PartFile(chunkDirs[i], role, output)).Count;
            if (files != manifest.Chunks[i].Count)
                throw new InvalidOperationException($"chunk {i}'s {role} PNG part holds {files} files instead of {manifest.Chunks[i].Count}: nothing was written; run the chunk again");
        }
    }

    /// <summary>Frame g of the clip is file number g + 1, as ffmpeg numbers a single run's sequence.</summary>
    private void MoveSequence(JobManifest manifest, IReadOnlyList<string> chunkDirs, string role, string output)
    {
        OutputFolder.Ensure(Path.GetDirectoryName(Path.GetFullPath(output))!, "output folder");
        for (int i = 0; i < chunkDirs.Count; i++)
        {
            var files = FrameCounter.SequenceFiles(JobFolder.PartFile(chunkDirs[i], role, output));
            long first = manifest.Chunks[i].First;
            for (int k = 0; k < files.Count; k++)
                File.Move(files[k], ImageSequence.FileFor(output, checked((int)(first + k + 1))), overwrite: true);
        }
        log.WriteLine($"moved {manifest.TotalFrames} PNG files into {output}");
    }
}
