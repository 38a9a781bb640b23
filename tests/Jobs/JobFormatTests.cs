using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>
/// Every offline output through a 3-chunk job on a tiny stamped clip (24 frames, 160x96, warm-up 6), against a single
/// run with the same options: frame count, order where the picture survives, PSNR ≥ 45 dB. The chunks take their
/// index the ways batch engines give it: --chunk, $SLURM_ARRAY_TASK_ID, $JOB_COMPLETION_INDEX.
/// </summary>
public class JobFormatTests
{
    private const int Frames = 24, Width = 160, Height = 96;

    private sealed record Result(string Root, string JobDir, string Single, string Merged, string MergeLog);

    /// <summary>Plans, runs and merges a job writing <paramref name="output"/> (a name inside the job's output folder), and a single run.</summary>
    private static Result RunBoth(string output, params string[] options)
    {
        string root = Tool.TempDir();
        string clip = StampedClip.Make(root, Frames, Width, Height);
        string single = Path.Combine(root, "single"), merged = Path.Combine(root, "merged");
        var (code, _, err) = Tool.Run(["-i", clip, "-o", Path.Combine(single, output), .. options.Select(o => o.Replace("{out}", single))]);
        Assert.True(code == 0, err);
        string dir = Path.Combine(root, "job");
        (code, _, err) = Tool.Run(["job", "plan", "-i", clip, "-o", Path.Combine(merged, output), "--chunks", "3", "--warmup", "6", "--dir", dir, .. options.Select(o => o.Replace("{out}", merged))]);
        Assert.True(code == 0, err);
        (code, _, err) = Tool.Run("job", "run", dir, "--chunk", "0");
        Assert.True(code == 0, err);
        (code, _, err) = Tool.RunWith(new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "1" }, "job", "run", dir);
        Assert.True(code == 0, err);
        Assert.Contains("chunk 1 of 3", err);
        (code, _, err) = Tool.RunWith(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "2" }, "job", "run", dir);
        Assert.True(code == 0, err);
        Assert.Contains("chunk 2 of 3", err);
        (code, _, err) = Tool.Run("job", "merge", dir);
        Assert.True(code == 0, err);
        return new Result(root, dir, Path.Combine(single, output), Path.Combine(merged, output), err);
    }

    private static void AssertClose(IReadOnlyList<byte[]> single, IReadOnlyList<byte[]> merged, string what)
    {
        Assert.Equal(Frames, merged.Count);
        double psnr = StampedClip.Psnr(single, merged);
        Console.WriteLine($"{what}: PSNR {psnr:0.00} dB against a single run");
        Assert.True(psnr >= 45, $"{what}: PSNR {psnr:0.00} dB against a single run");
    }

    /// <summary>
    /// A lossy output (H.264, HEVC, VP9): the merged file must hold the parts' own frames, bit for bit (a stream copy, in
    /// chunk order), and be close to a single run. Close, not 45 dB: the single run and the chunks are two different
    /// encodes (keyframes at other places) of this tiny, detailed clip, ~38–40 dB apart by the codec alone; what the
    /// pipeline itself gives is checked on the lossless outputs (ProRes, PNG) and in bench/job-chunks.sh (FFV1).
    /// </summary>
    private static void AssertStreamCopied(Result r, string role, string what, params string[] decoder)
    {
        string file = Path.GetFileName(role == "main" ? r.Merged : Path.Combine(Path.GetDirectoryName(r.Merged)!, role + Path.GetExtension(r.Merged)));
        string merged = Path.Combine(Path.GetDirectoryName(r.Merged)!, file), single = Path.Combine(Path.GetDirectoryName(r.Single)!, file);
        var parts = Enumerable.Range(0, 3).SelectMany(i => RawFrames.Read(Path.Combine(r.JobDir, "parts", $"chunk_{i:D3}", role + Path.GetExtension(merged)), Width, Height, "rgba", 4, decoder)).ToList();
        var joined = RawFrames.Read(merged, Width, Height, "rgba", 4, decoder);
        Assert.Equal(Frames, joined.Count);
        Assert.True(parts.Count == joined.Count && parts.Zip(joined).All(p => p.First.AsSpan().SequenceEqual(p.Second)), $"{what}: the merged frames are not the parts' frames: re-encoded or reordered");
        double psnr = StampedClip.Psnr(RawFrames.Read(single, Width, Height, "rgba", 4, decoder), joined);
        Console.WriteLine($"{what}: PSNR {psnr:0.00} dB against a single run (two encodes)");
        Assert.True(psnr >= 33, $"{what}: PSNR {psnr:0.00} dB against a single run");
    }

    [Fact]
    public void H264_with_a_matte_video_joins_by_stream_copy_with_audio()
    {
        var r = RunBoth("out.mp4", "--matte-output", "{out}/matte.mp4");
        Assert.Contains("H.264 (CRF 18), stream copy, audio from the input", r.MergeLog);
        Assert.True(StampedClip.HasAudio(r.Merged));
        AssertStreamCopied(r, "main", "H.264");
        Assert.False(StampedClip.HasAudio(Path.Combine(Path.GetDirectoryName(r.Merged)!, "matte.mp4")));
        AssertStreamCopied(r, "matte", "matte H.264");
    }

    [Fact]
    public void Hevc_joins_by_stream_copy()
    {
        var r = RunBoth("out.mp4", "--codec", "hevc");
        Assert.Contains("HEVC", r.MergeLog);
        Assert.Equal("hevc", StreamMatte.Pipeline.Video.MediaInfo.Probe(r.Merged).Codec);
        AssertStreamCopied(r, "main", "HEVC");
    }

    [Fact]
    public void ProRes_4444_keeps_alpha_and_every_stamped_frame()
    {
        var r = RunBoth("out.mov", "-b", "transparent", "--decontaminate", "false");
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i), StampedClip.Stamps(r.Merged));
        AssertClose(RawFrames.Read(r.Single, Width, Height, "rgba", 4), RawFrames.Read(r.Merged, Width, Height, "rgba", 4), "ProRes 4444 (RGBA)");
    }

    [Fact]
    public void Vp9_with_alpha_keeps_its_alpha_through_the_join()
    {
        var r = RunBoth("out.webm", "-b", "transparent", "--decontaminate", "false");
        Assert.Contains("VP9 with alpha", r.MergeLog);
        // libvpx decodes VP9's alpha (ffmpeg's own VP9 decoder would drop it): the alpha of every chunk's frames must be there.
        AssertStreamCopied(r, "main", "VP9 (RGBA)", "-c:v", "libvpx-vp9");
        var merged = RawFrames.Read(r.Merged, Width, Height, "rgba", 4, "-c:v", "libvpx-vp9");
        Assert.All(new[] { merged[0], merged[Frames / 2], merged[^1] }, frame => Assert.Contains(frame.Where((_, i) => i % 4 == 3), a => a < 128));
    }

    [Fact]
    public void A_png_sequence_and_a_matte_sequence_are_moved_into_place_numbered_as_a_single_run()
    {
        var r = RunBoth("out_%05d.png", "-b", "transparent", "--decontaminate", "false", "--matte-output", "{out}/matte_%04d.png");
        string merged = Path.GetDirectoryName(r.Merged)!, single = Path.GetDirectoryName(r.Single)!;
        Assert.Equal(Directory.GetFiles(single).Select(Path.GetFileName).Order(), Directory.GetFiles(merged).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(merged, "out_00001.png")) && File.Exists(Path.Combine(merged, $"out_{Frames:D5}.png")));
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i), StampedClip.Stamps(r.Merged));
        AssertClose(RawFrames.Read(r.Single, Width, Height, "rgba", 4), RawFrames.Read(r.Merged, Width, Height, "rgba", 4), "PNG sequence (RGBA)");
        AssertClose(StampedClip.Frames(Path.Combine(single, "matte_%04d.png")), StampedClip.Frames(Path.Combine(merged, "matte_%04d.png")), "matte PNG sequence");
        // The parts were moved, so the job says it was merged and refuses to do it twice.
        var (code, _, err) = Tool.Run("job", "merge", r.JobDir);
        Assert.Equal(1, code);
        Assert.Contains("already merged", err);
    }
}
