using StreamMatte.Pipeline.Video;

namespace StreamMatte.Jobs;

/// <summary>What <c>job plan</c> was asked for (the run's own options are already checked and in <see cref="Arguments"/>).</summary>
public sealed record JobRequest
{
    public required string Input { get; init; }
    public required string Output { get; init; }
    public string? MatteOutput { get; init; }
    public string? InstanceOutput { get; init; }
    public string? Codec { get; init; }
    public bool Transparent { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    public required int Chunks { get; init; }

    /// <summary>Frames decoded before each chunk's own and not written (the first chunk has none).</summary>
    public int WarmupFrames { get; init; } = JobPlanner.DefaultWarmup;

    /// <summary>--frames: only the first N frames of the input.</summary>
    public long? MaxFrames { get; init; }
}

/// <summary>
/// Splits a clip into chunks of (nearly) equal length and says how each worker reaches its warm-up's first frame:
/// by a seek between two frames' timestamps when the file has clean ones, by counting from the start otherwise.
/// </summary>
public static class JobPlanner
{
    /// <summary>
    /// 30 frames: temporal smoothing at its default strength (0.8) keeps 0.8ⁿ of a still pixel's past, under half a
    /// grey level after 28 frames; recurrent networks (RVM) settle within a second of video as well.
    /// </summary>
    public const int DefaultWarmup = 30;

    public static JobManifest Plan(JobRequest request)
    {
        if (request.Chunks < 1) throw new ArgumentException($"--chunks must be at least 1, got {request.Chunks}");
        if (request.WarmupFrames < 0) throw new ArgumentException($"--warmup must be 0 or more frames, got {request.WarmupFrames}");
        var info = MediaInfo.Probe(request.Input);
        var timeline = FrameTimeline.Probe(request.Input);
        long total = timeline.FrameCount;
        if (request.MaxFrames is { } max) total = Math.Min(total, max);
        if (total < request.Chunks)
            throw new ArgumentException($"'{request.Input}' has {total} frame{(total == 1 ? "" : "s")}{(request.MaxFrames is null ? "" : " (with --frames)")}: too few for {request.Chunks} chunks");

        var chunks = new List<ChunkPlan>(request.Chunks);
        for (int i = 0; i < request.Chunks; i++)
        {
            long first = total * i / request.Chunks, end = total * (i + 1) / request.Chunks;
            long warmup = Math.Min(request.WarmupFrames, first);
            long decodeFrom = first - warmup;
            bool seek = timeline.HasTimestamps && decodeFrom > 0;
            chunks.Add(new ChunkPlan(i, first, end - first, warmup, seek ? timeline.SeekTo(decodeFrom) : null, seek ? 0 : decodeFrom));
        }
        return new JobManifest
        {
            Input = request.Input,
            Output = request.Output,
            MatteOutput = request.MatteOutput,
            InstanceOutput = request.InstanceOutput,
            Codec = request.Codec,
            Transparent = request.Transparent,
            Arguments = request.Arguments,
            TotalFrames = total,
            FrameRate = info.FrameRateText,
            InputHasAudio = info.HasAudio,
            WarmupFrames = request.WarmupFrames,
            Seeking = timeline.HasTimestamps ? "timestamps" : "counting",
            Chunks = chunks,
        };
    }
}
