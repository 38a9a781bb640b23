namespace StreamMatte.Pipeline.Sources;

/// <summary>
/// A stretch of a file for a <see cref="FileSource"/> to deliver: frames <see cref="First"/> to
/// <see cref="First"/> + <see cref="Count"/> − 1 of the whole clip (0-based), e.g. one chunk of a job and its warm-up.
/// Decoding starts at <see cref="SeekSeconds"/> (a time between two frames' timestamps: ffmpeg decodes from the
/// keyframe before it and delivers from the first frame after it), then <see cref="SkipFrames"/> frames are counted
/// off. Whoever builds the range knows the frame timestamps (a seek alone is exact only when it falls between two
/// of them); counting alone (seek null) is always exact, at the cost of decoding everything before.
/// </summary>
public sealed record FrameRange(long First, long Count, double? SeekSeconds = null, long SkipFrames = 0)
{
    public long End => First + Count;

    public override string ToString() => $"frames {First}–{End - 1}";
}
