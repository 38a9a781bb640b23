using StreamMatte.Pipeline.Video;

namespace StreamMatte.Jobs;

/// <summary>
/// Where everything of a job lives, so workers on any machine that mounts the folder agree:
/// <code>
/// DIR/job.json                      the manifest
/// DIR/parts/chunk_000/              a finished chunk (renamed into place whole): chunk.json, main.mp4 | main_%06d.png,
///                                   matte.mp4 | matte_%06d.png, instances/person_ID/FRAME.png, overlap/…
/// DIR/parts/.chunk_000.HOST.PID/    a chunk being written (or left by a crash: the next run of it deletes it)
/// DIR/logs/                         the batch engine's logs
/// DIR/merged.json                   written when the merge succeeded
/// </code>
/// </summary>
public sealed class JobFolder(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string ManifestPath => Path.Combine(Directory, "job.json");
    public string PartsDirectory => Path.Combine(Directory, "parts");
    public string LogsDirectory => Path.Combine(Directory, "logs");
    public string MergedRecordPath => Path.Combine(Directory, "merged.json");

    public string ChunkDirectory(int index) => Path.Combine(PartsDirectory, ChunkName(index));

    public static string ChunkName(int index) => $"chunk_{index:D3}";

    /// <summary>A chunk's folder while one process on one machine writes it.</summary>
    public string PartialDirectory(int index, string host, int pid) => Path.Combine(PartsDirectory, $".{ChunkName(index)}.{host}.{pid}");

    /// <summary>Folders that processes began for this chunk and did not finish: (path, host, pid).</summary>
    public IEnumerable<(string Path, string Host, int Pid)> PartialDirectories(int index)
    {
        if (!System.IO.Directory.Exists(PartsDirectory)) yield break;
        string prefix = $".{ChunkName(index)}.";
        foreach (var path in System.IO.Directory.GetDirectories(PartsDirectory, prefix + "*"))
        {
            string rest = Path.GetFileName(path)[prefix.Length..];
            int dot = rest.LastIndexOf('.');
            if (dot > 0 && int.TryParse(rest[(dot + 1)..], out int pid)) yield return (path, rest[..dot], pid);
        }
    }

    public JobManifest LoadManifest() => JobManifest.Load(ManifestPath);

    /// <summary>A finished chunk's record, or null when the chunk is not done.</summary>
    public ChunkRecord? Done(int index) => ChunkRecord.Load(Path.Combine(ChunkDirectory(index), ChunkRecord.FileName));

    /// <summary>The file (or PNG pattern) of one output inside a chunk folder: "main" or "matte" with the output's extension.</summary>
    public static string PartFile(string chunkDirectory, string role, string finalOutput) =>
        ImageSequence.IsPattern(finalOutput)
            ? Path.Combine(chunkDirectory, $"{role}_%06d.png")
            : Path.Combine(chunkDirectory, role + Path.GetExtension(finalOutput));

    public static string InstancesFolder(string chunkDirectory) => Path.Combine(chunkDirectory, "instances");

    /// <summary>Each person's matte on the warm-up frames too, so the merge can match people across chunks.</summary>
    public static string OverlapFolder(string chunkDirectory) => Path.Combine(chunkDirectory, "overlap");
}
