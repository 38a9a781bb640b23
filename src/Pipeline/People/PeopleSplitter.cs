using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.People;

/// <summary>
/// The hybrid of the digest (§A.3): the matting network's full-quality α is split among the people by the
/// instance network's masks, α_x = α · w_x with w_x = m̃_x / Σ_y m̃_y, so the people's mattes add up to α and keep
/// its hair detail. m̃ is each mask widened a little (a box blur added to it): the student's soft edge reaches a few
/// pixels beyond the instance network's coarse masks, and those pixels should still go to the nearest person.
/// Pixels no person is near stay unassigned (w = 0 for everyone).
/// Then the selection: which share of α stays (kept people, plus the unassigned part unless only chosen people stay).
/// </summary>
public sealed class PeopleSplitter(PeopleSettings settings)
{
    private const int WidenRadius = 2;          // people-resolution pixels (about 8 working pixels)
    private const float Unassigned = 0.02f;     // Σ m̃ below this: nobody's
    private const float LargestHysteresis = 1.25f;

    private readonly BoxFilter _box = new();
    private FloatPlane _total = new(1, 1), _blurred = new(1, 1);
    private int _largestId;

    /// <summary>Turns the masks in <paramref name="map"/>'s shares into shares of α, and fills its selection.</summary>
    public void Split(PeopleMap map)
    {
        int n = map.Width * map.Height;
        if (_total.Width != map.Width || _total.Height != map.Height)
            (_total, _blurred) = (new FloatPlane(map.Width, map.Height), new FloatPlane(map.Width, map.Height));
        var total = _total.Data;
        var blurred = _blurred.Data;
        Array.Clear(total);
        for (int p = 0; p < map.Count; p++)
        {
            var s = map.Shares[p].Data;
            Array.Copy(s, blurred, n);
            _box.Apply(_blurred, WidenRadius);
            for (int i = 0; i < n; i++)
            {
                s[i] += blurred[i];      // m̃ = m + blur(m)
                total[i] += s[i];
            }
        }
        for (int p = 0; p < map.Count; p++)
        {
            var s = map.Shares[p].Data;
            for (int i = 0; i < n; i++) s[i] = total[i] < Unassigned ? 0 : s[i] / total[i];
        }
        Select(map, total);
    }

    /// <summary>The person who is kept under <c>--keep largest</c> (0 when nobody qualifies yet).</summary>
    public int LargestId => _largestId;

    private void Select(PeopleMap map, float[] total)
    {
        var selection = map.Selection.Data;
        int n = map.Width * map.Height;
        if (settings.Keep == KeepPeople.Largest) UpdateLargest(map);
        bool keepUnassigned = settings.Keep == KeepPeople.All;
        for (int i = 0; i < n; i++) selection[i] = keepUnassigned && total[i] < Unassigned ? 1 : 0;
        for (int p = 0; p < map.Count; p++)
        {
            if (!IsKept(map.Ids[p])) continue;
            var s = map.Shares[p].Data;
            for (int i = 0; i < n; i++) selection[i] += s[i];
        }
        // Unnumbered people (seen for less than the confirmation time) count as "everyone else".
    }

    private bool IsKept(int id)
    {
        if (id > 0 && settings.RemoveIds.Contains(id)) return false;
        return settings.Keep switch
        {
            KeepPeople.All => true,
            KeepPeople.Largest => id > 0 && id == _largestId,
            _ => id > 0 && settings.KeepIds.Contains(id),
        };
    }

    /// <summary>The largest numbered person, who stays chosen until someone is clearly (25 %) larger or they leave.</summary>
    private void UpdateLargest(PeopleMap map)
    {
        int best = -1, current = -1;
        for (int p = 0; p < map.Count; p++)
        {
            if (map.Ids[p] == 0) continue;
            if (best < 0 || map.Areas[p] > map.Areas[best]) best = p;
            if (map.Ids[p] == _largestId) current = p;
        }
        if (best < 0) return;                          // keep the choice while nobody numbered is in view
        if (current < 0 || map.Areas[best] > LargestHysteresis * map.Areas[current]) _largestId = map.Ids[best];
    }
}
