namespace StreamMatte.Pipeline.Evaluation;

/// <summary>
/// Identity switches of numbered people, counted the way multi-object tracking counts them (IDSW) but against
/// reference tracklets instead of hand labels, which no clip here has:
/// <list type="bullet">
/// <item>a reference model's detections (another network, independent of our tracker) are linked frame to frame
/// where they overlap by at least <see cref="LinkIou"/>, one to one, best pairs first: short, confident tracklets of
/// one person each — a tracklet simply ends where the link is in doubt;</item>
/// <item>each frame, our numbered people are matched one to one to the reference detections at
/// <see cref="MatchIou"/>;</item>
/// <item>a tracklet whose matched number differs from the number it last had is one switch (a swap between two
/// people or a person renumbered while plainly visible).</item>
/// </list>
/// Masks are boolean, all at one size. <see cref="Matched"/> says how much of the reference our people cover: few
/// matches leave few chances to switch.
/// </summary>
public sealed class IdentitySwitchCounter
{
    public const double LinkIou = 0.5, MatchIou = 0.5;

    private List<(bool[] Mask, int Tracklet)> _previous = [];
    private readonly Dictionary<int, int> _lastNumber = new();   // tracklet → the number it last matched

    public int Frames { get; private set; }
    public int Tracklets { get; private set; }
    public int Detections { get; private set; }
    public int Matched { get; private set; }
    public int Switches { get; private set; }
    public double SwitchesPer100Frames => Frames == 0 ? 0 : 100.0 * Switches / Frames;

    /// <summary>One frame: the reference model's people, and ours with their numbers.</summary>
    public void Add(IReadOnlyList<bool[]> reference, IReadOnlyList<(int Number, bool[] Mask)> people)
    {
        Frames++;
        Detections += reference.Count;
        var links = MaskMatching.OneToOne(reference, _previous.Select(p => p.Mask).ToList(), LinkIou);
        var current = new List<(bool[] Mask, int Tracklet)>(reference.Count);
        for (int r = 0; r < reference.Count; r++)
            current.Add((reference[r], links[r].Index >= 0 ? _previous[links[r].Index].Tracklet : Tracklets++));
        var matches = MaskMatching.OneToOne(reference, people.Select(p => p.Mask).ToList(), MatchIou);
        for (int r = 0; r < reference.Count; r++)
        {
            if (matches[r].Index < 0) continue;
            Matched++;
            int number = people[matches[r].Index].Number;
            int tracklet = current[r].Tracklet;
            if (_lastNumber.TryGetValue(tracklet, out int last) && last != number) Switches++;
            _lastNumber[tracklet] = number;
        }
        _previous = current;
    }
}

/// <summary>One-to-one matching of two sets of boolean masks by IoU, highest first.</summary>
public static class MaskMatching
{
    /// <summary>For each mask of <paramref name="a"/>: the index of its match in <paramref name="b"/> (−1 if none) and their IoU.</summary>
    public static (int Index, double Iou)[] OneToOne(IReadOnlyList<bool[]> a, IReadOnlyList<bool[]> b, double minimumIou = double.Epsilon)
    {
        var pairs = new List<(double Iou, int A, int B)>();
        for (int i = 0; i < a.Count; i++)
            for (int j = 0; j < b.Count; j++)
            {
                double iou = Iou(a[i], b[j]);
                if (iou >= minimumIou && iou > 0) pairs.Add((iou, i, j));
            }
        var result = Enumerable.Repeat((-1, 0.0), a.Count).ToArray();
        var usedB = new bool[b.Count];
        foreach (var (iou, i, j) in pairs.OrderByDescending(p => p.Iou))
        {
            if (result[i].Item1 >= 0 || usedB[j]) continue;
            usedB[j] = true;
            result[i] = (j, iou);
        }
        return result;
    }

    public static double Iou(bool[] a, bool[] b)
    {
        int inter = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] && b[i]) inter++;
            if (a[i] || b[i]) union++;
        }
        return union == 0 ? 0 : (double)inter / union;
    }
}
