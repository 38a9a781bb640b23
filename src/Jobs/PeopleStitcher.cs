using System.Globalization;

namespace StreamMatte.Jobs;

/// <summary>
/// Gives the people of every chunk the numbers they have in the chunks before it. Each chunk numbers people itself,
/// in order of appearance from its warm-up on; the warm-up frames are the previous chunk's last frames, and the
/// chunk wrote each person's matte on them too (overlap/). On those frames every person of this chunk is matched to
/// the previous chunk's person whose mattes overlap theirs most (intersection over union of the mattes, at least
/// <see cref="MinimumOverlap"/>); people without a match are new and get the next free number. Then every file is
/// moved to person_ID/FRAME.png of the final folder, FRAME being the frame's number in the whole clip.
/// </summary>
public sealed class PeopleStitcher(JobManifest manifest, IReadOnlyList<string> chunkDirectories)
{
    public const double MinimumOverlap = 0.3;

    /// <summary>Warm-up frames compared (the last ones, where the chunk has settled).</summary>
    public const int ComparedFrames = 10;

    public string MoveInto(string destination)
    {
        Directory.CreateDirectory(destination);
        var maps = new List<Dictionary<int, int>>();
        int next = 1, matched = 0, files = 0;
        for (int c = 0; c < manifest.Chunks.Count; c++)
        {
            var chunk = manifest.Chunks[c];
            var local = PeopleIn(JobFolder.InstancesFolder(chunkDirectories[c])).Union(PeopleIn(JobFolder.OverlapFolder(chunkDirectories[c]))).Order().ToList();
            var map = c == 0 ? [] : Match(c, local, maps[c - 1]);
            matched += map.Count;
            foreach (int id in local)
                if (!map.ContainsKey(id)) map[id] = next++;
            next = Math.Max(next, map.Values.DefaultIfEmpty(0).Max() + 1);
            maps.Add(map);
        }
        for (int c = 0; c < manifest.Chunks.Count; c++)
        {
            long decodeFrom = manifest.Chunks[c].First - manifest.Chunks[c].Warmup;
            string instances = JobFolder.InstancesFolder(chunkDirectories[c]);
            foreach (int id in PeopleIn(instances))
            {
                string target = Path.Combine(destination, PersonFolder(maps[c][id]));
                Directory.CreateDirectory(target);
                foreach (var file in Directory.GetFiles(Path.Combine(instances, PersonFolder(id)), "*.png"))
                {
                    long frame = decodeFrom + long.Parse(Path.GetFileNameWithoutExtension(file), CultureInfo.InvariantCulture);
                    File.Move(file, Path.Combine(target, FrameFile(frame)), overwrite: true);
                    files++;
                }
            }
        }
        return $"{next - 1} people over {manifest.Chunks.Count} chunks ({matched} carried across chunk boundaries), {files} files in {destination}";
    }

    /// <summary>This chunk's people → the numbers the previous chunk's people have, where their mattes overlap.</summary>
    private Dictionary<int, int> Match(int c, IReadOnlyList<int> people, Dictionary<int, int> previousMap)
    {
        var chunk = manifest.Chunks[c];
        var previous = manifest.Chunks[c - 1];
        long from = Math.Max(previous.First, chunk.First - Math.Min(chunk.Warmup, ComparedFrames));
        long decodeFrom = chunk.First - chunk.Warmup, previousDecodeFrom = previous.First - previous.Warmup;
        var scores = new Dictionary<(int Here, int There), (double Intersection, double Union)>();
        string overlap = JobFolder.OverlapFolder(chunkDirectories[c]), before = JobFolder.InstancesFolder(chunkDirectories[c - 1]);
        var earlier = PeopleIn(before).ToList();
        for (long g = from; g < chunk.First; g++)
        {
            foreach (int here in people)
            {
                string a = Path.Combine(overlap, PersonFolder(here), FrameFile(g - decodeFrom));
                if (!File.Exists(a)) continue;
                var (pa, _, _) = GrayPngReader.Read(a);
                foreach (int there in earlier)
                {
                    string b = Path.Combine(before, PersonFolder(there), FrameFile(g - previousDecodeFrom));
                    if (!File.Exists(b)) continue;
                    var (pb, _, _) = GrayPngReader.Read(b);
                    if (pb.Length != pa.Length) continue;
                    long inter = 0, union = 0;
                    for (int i = 0; i < pa.Length; i++) { inter += Math.Min(pa[i], pb[i]); union += Math.Max(pa[i], pb[i]); }
                    var key = (here, previousMap[there]);
                    scores.TryGetValue(key, out var s);
                    scores[key] = (s.Intersection + inter, s.Union + union);
                }
            }
        }
        var map = new Dictionary<int, int>();
        var taken = new HashSet<int>();
        foreach (var ((here, there), (inter, union)) in scores.OrderByDescending(s => s.Value.Union > 0 ? s.Value.Intersection / s.Value.Union : 0))
        {
            if (union <= 0 || inter / union < MinimumOverlap || map.ContainsKey(here) || !taken.Add(there)) continue;
            map[here] = there;
        }
        return map;
    }

    private static IEnumerable<int> PeopleIn(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetDirectories(folder, "person_*").Select(d => int.Parse(Path.GetFileName(d)["person_".Length..], CultureInfo.InvariantCulture))
            : [];

    /// <summary>As the pipeline's per-person output names them.</summary>
    private static string PersonFolder(int id) => $"person_{id:D2}";

    private static string FrameFile(long frame) => $"{frame:D6}.png";
}
