using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Jobs;

/// <summary>
/// --instance-output through a 3-chunk job on a real clip with several people: each chunk numbers people itself, the
/// merge gives them the numbers of the chunk before (matched on the warm-up frames, which the chunk before wrote too),
/// so the folders hold what a single run writes: the same people, on the same frames, with the same mattes.
/// </summary>
public class JobPeopleTests
{
    [Fact]
    public void Each_person_keeps_their_number_across_chunks_as_in_a_single_run()
    {
        string clip = SharedAssets.RequireData("videos/clip_a.mp4");
        string root = Tool.TempDir(), single = Path.Combine(root, "single"), merged = Path.Combine(root, "merged"), dir = Path.Combine(root, "job");
        string[] options = ["--size", "320x180", "--frames", "30"];
        var (code, _, err) = Tool.Run(["-i", clip, "-o", Path.Combine(root, "single.mp4"), "--instance-output", single, .. options]);
        Assert.True(code == 0, err);
        (code, _, err) = Tool.Run(["job", "plan", "-i", clip, "-o", Path.Combine(root, "merged.mp4"), "--instance-output", merged, "--chunks", "3", "--warmup", "8", "--dir", dir, .. options]);
        Assert.True(code == 0, err);
        for (int i = 0; i < 3; i++)
        {
            (code, _, err) = Tool.Run("job", "run", dir, "--chunk", i.ToString());
            Assert.True(code == 0, err);
        }
        (code, _, err) = Tool.Run("job", "merge", dir);
        Assert.True(code == 0, err);
        Assert.Matches(@"people: \d+ people over 3 chunks \([1-9]\d* carried across chunk boundaries\)", err);

        static List<string> Files(string folder) =>
            Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order().ToList();
        var expected = Files(single);
        Assert.True(expected.Select(f => Path.GetDirectoryName(f)).Distinct().Count() >= 2, "the clip should show several people");
        Assert.Equal(expected, Files(merged));

        double sum = 0;
        long n = 0;
        foreach (var file in expected)
        {
            var a = Tool.ReadGray(Path.Combine(single, file), 320, 180);
            var b = Tool.ReadGray(Path.Combine(merged, file), 320, 180);
            for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; sum += d * d; }
            n += a.Length;
        }
        double psnr = sum == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255 * n / sum);
        Console.WriteLine($"per-person mattes, job vs single run: PSNR {psnr:0.00} dB over {expected.Count} files");
        Assert.True(psnr >= 45, $"per-person mattes differ from a single run's: PSNR {psnr:0.00} dB");
    }
}
