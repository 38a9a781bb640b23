using StreamMatte.Pipeline.Sources;

namespace StreamMatte.Jobs;

/// <summary>
/// What one chunk's run must do, for whoever builds the pipeline (the command line): decode <see cref="Range"/>, leave
/// the first <see cref="WarmupFrames"/> frames out of every output, and write the outputs at these paths (inside the
/// chunk's temporary folder). <see cref="OverlapInstanceOutput"/>, when set, gets each person's matte on the warm-up
/// frames only.
/// </summary>
public sealed record ChunkWork(
    JobManifest Manifest,
    ChunkPlan Chunk,
    string Directory,
    string MainOutput,
    string? MatteOutput,
    string? InstanceOutput,
    string? OverlapInstanceOutput)
{
    public FrameRange Range => Chunk.DecodeRange;
    public long WarmupFrames => Chunk.Warmup;
}
