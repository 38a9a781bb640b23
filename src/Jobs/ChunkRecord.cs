using System.Text.Json;

namespace StreamMatte.Jobs;

/// <summary>chunk.json in a finished chunk's folder: what was written, where and how long it took.</summary>
public sealed record ChunkRecord(int Index, long First, long Count, long FramesWritten, string Host, double Seconds, DateTimeOffset Finished)
{
    public const string FileName = "chunk.json";

    public void Save(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, JobManifest.Json));

    public static ChunkRecord? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<ChunkRecord>(File.ReadAllText(path), JobManifest.Json); }
        catch (JsonException) { return null; }
    }
}
