using System.Text.Json;
using System.Text.Json.Serialization;
using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Jobs;

/// <summary>
/// One chunk of a job: its own frames <see cref="First"/>…<see cref="First"/>+<see cref="Count"/>−1 of the clip, and the
/// <see cref="Warmup"/> frames before them that it decodes and processes but does not write, so that recurrent state
/// and temporal smoothing have settled as in a single run. <see cref="SeekSeconds"/>/<see cref="SkipFrames"/> say how
/// the worker reaches the warm-up's first frame exactly (see <see cref="FrameRange"/>).
/// </summary>
public sealed record ChunkPlan(int Index, long First, long Count, long Warmup, double? SeekSeconds, long SkipFrames)
{
    [JsonIgnore]
    public long End => First + Count;

    /// <summary>What the worker decodes: the warm-up, then the chunk's own frames.</summary>
    [JsonIgnore]
    public FrameRange DecodeRange => new(First - Warmup, Warmup + Count, SeekSeconds, SkipFrames);

    [JsonIgnore]
    public string Frames => $"frames {First}–{End - 1}";
}

/// <summary>
/// The job folder's manifest (job.json), written by <c>job plan</c> and read by every worker and the merge: the input,
/// the outputs, the run's options as command-line arguments (paths made absolute), the frame count and the chunks.
/// </summary>
public sealed record JobManifest
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string Input { get; init; }
    public required string Output { get; init; }
    public string? MatteOutput { get; init; }
    public string? InstanceOutput { get; init; }

    /// <summary>--codec as given (h264, hevc, ffv1…), null for the format's default.</summary>
    public string? Codec { get; init; }

    /// <summary>Whether the main output carries alpha (--background transparent).</summary>
    public bool Transparent { get; init; }

    /// <summary>The run's options exactly as a normal run takes them (input and outputs included).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Frames of the whole output: the input's, or fewer with --frames.</summary>
    public required long TotalFrames { get; init; }

    public required string FrameRate { get; init; }
    public bool InputHasAudio { get; init; }
    public required int WarmupFrames { get; init; }

    /// <summary>"timestamps": chunks seek between two frames' timestamps; "counting": they decode from the start and count.</summary>
    public required string Seeking { get; init; }

    public required IReadOnlyList<ChunkPlan> Chunks { get; init; }
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
    public string CreatedOn { get; init; } = Environment.MachineName;

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Save(string path)
    {
        string temporary = path + ".part";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="FileNotFoundException">No manifest there.</exception>
    /// <exception cref="FormatException">Not a manifest this version reads.</exception>
    public static JobManifest Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{Path.GetDirectoryName(path)}' is not a job folder: it has no {Path.GetFileName(path)} (make one with `stream-matte job plan`)", path);
        JobManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<JobManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new FormatException($"'{path}' is not a valid job manifest: {e.Message}"); }
        if (manifest is null) throw new FormatException($"'{path}' is empty");
        if (manifest.Version != CurrentVersion)
            throw new FormatException($"'{path}' is a version {manifest.Version} job manifest; this stream-matte reads version {CurrentVersion}: plan the job again");
        return manifest;
    }
}
