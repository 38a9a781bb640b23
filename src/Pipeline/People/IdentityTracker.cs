using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Compositing;

namespace StreamMatte.Pipeline.People;

/// <summary>
/// Gives each person a stable number across frames (the instance network's query slots carry no identity):
/// <list type="bullet">
/// <item>association: each frame's people are matched to the tracks by mask overlap (IoU), best pairs first;</item>
/// <item>hysteresis: a new track gets its number only after <see cref="PeopleSettings.ConfirmFrames"/> frames in a
/// row, so a one-frame false detection never takes one — except on the first frame of a video or of a scene, whose
/// people are numbered at once: there is nobody yet whom a false detection could displace, and waiting would leave
/// the first frame with nobody numbered (under <c>--keep largest</c>, an empty matte);</item>
/// <item>short memory: a track unseen for up to <see cref="PeopleSettings.MemoryFrames"/> frames keeps its number and
/// takes it back when the person reappears where it was;</item>
/// <item>per-person smoothing: a track's mask follows its detections with an exponential average.</item>
/// </list>
/// Masks are handled at the small people resolution; nothing is allocated per frame.
/// </summary>
public sealed class IdentityTracker
{
    /// <summary>Overlap below which a detection is not the same person as a track.</summary>
    public const float MinimumIou = 0.2f;

    /// <summary>How fast a track's mask follows its detections (1 = no smoothing).</summary>
    public const float Follow = 0.6f;

    private sealed class Track(int width, int height)
    {
        public int Id;             // 0 until confirmed
        public int Hits, Misses;
        public bool Alive, MatchedNow;
        public FloatPlane Mask { get; } = new(width, height);
    }

    private readonly PeopleSettings _settings;
    private readonly Track[] _tracks;
    private readonly FloatPlane[] _detections;
    private readonly bool[] _detectionMatched;
    private readonly MatteResampler _resampler = new();
    private int _nextId = 1;
    private bool _sceneStart = true;   // the next Update is the first frame of the video or of a scene

    public IdentityTracker(int width, int height, int maxPeople, PeopleSettings settings)
    {
        _settings = settings;
        _tracks = new Track[2 * maxPeople];
        for (int i = 0; i < _tracks.Length; i++) _tracks[i] = new Track(width, height);
        _detections = new FloatPlane[maxPeople];
        for (int i = 0; i < maxPeople; i++) _detections[i] = new FloatPlane(width, height);
        _detectionMatched = new bool[maxPeople];
    }

    /// <summary>Frames given to <see cref="Update"/>.</summary>
    public long Frames { get; private set; }

    /// <summary>Numbers handed out so far.</summary>
    public int Identities => _nextId - 1;

    /// <summary>
    /// New numbers given where a recently lost person was (their masks overlap): the same person most likely got a
    /// second number — an identity switch, as far as can be told without ground truth.
    /// </summary>
    public int Switches { get; private set; }

    /// <summary>Retires every track (scene cut). Numbers keep counting up, so an old number never names a new person.</summary>
    public void Reset()
    {
        foreach (var t in _tracks) t.Alive = false;
        _sceneStart = true;
    }

    /// <summary>This frame's people (masks at any resolution covering the whole frame).</summary>
    public void Update(ReadOnlySpan<PersonInstance> people)
    {
        Frames++;
        int n = Math.Min(people.Length, _detections.Length);
        for (int i = 0; i < n; i++)
        {
            _resampler.Resample(people[i].Mask, _detections[i]);
            _detectionMatched[i] = false;
        }
        foreach (var t in _tracks) t.MatchedNow = false;

        // Greedy association, best overlap first (a handful of people: the n·m search is cheap).
        while (true)
        {
            float best = MinimumIou;
            int bestDetection = -1;
            Track? bestTrack = null;
            for (int i = 0; i < n; i++)
            {
                if (_detectionMatched[i]) continue;
                foreach (var t in _tracks)
                {
                    if (!t.Alive || t.MatchedNow) continue;
                    float iou = Iou(_detections[i], t.Mask);
                    if (iou > best) (best, bestDetection, bestTrack) = (iou, i, t);
                }
            }
            if (bestTrack is null) break;
            _detectionMatched[bestDetection] = true;
            bestTrack.MatchedNow = true;
            Blend(bestTrack.Mask, _detections[bestDetection]);
            bestTrack.Hits++;
            bestTrack.Misses = 0;
            Confirm(bestTrack);
        }

        foreach (var t in _tracks)
        {
            if (!t.Alive || t.MatchedNow) continue;
            t.Misses++;
            if (t.Id == 0) t.Alive = false;                          // never confirmed: forget at once
            else if (t.Misses > _settings.MemoryFrames) t.Alive = false;
        }

        for (int i = 0; i < n; i++)
        {
            if (_detectionMatched[i]) continue;
            var slot = Array.Find(_tracks, t => !t.Alive);
            if (slot is null) break;                                  // more people than tracks: the rest wait
            Array.Copy(_detections[i].Data, slot.Mask.Data, slot.Mask.Data.Length);
            (slot.Id, slot.Hits, slot.Misses, slot.Alive, slot.MatchedNow) = (0, 1, 0, true, true);
            Confirm(slot, atOnce: _sceneStart);
        }
        _sceneStart = false;
    }

    /// <summary>Writes the people seen in the last update (numbered ones first, then those still unnumbered).</summary>
    public void Publish(PeopleMap map)
    {
        int count = 0;
        for (int pass = 0; pass < 2; pass++)
            foreach (var t in _tracks)
            {
                if (!t.Alive || !t.MatchedNow || (pass == 0) != (t.Id > 0) || count >= map.Shares.Length) continue;
                map.Ids[count] = t.Id;
                Array.Copy(t.Mask.Data, map.Shares[count].Data, t.Mask.Data.Length);
                float area = 0;
                foreach (float v in t.Mask.Data) area += v;
                map.Areas[count] = area;
                count++;
            }
        map.Count = count;
    }

    private void Confirm(Track t, bool atOnce = false)
    {
        if (t.Id != 0 || (t.Hits < _settings.ConfirmFrames && !atOnce)) return;
        t.Id = _nextId++;
        foreach (var lost in _tracks)
            if (lost != t && lost.Alive && lost.Id > 0 && lost.Misses > 0 && Iou(lost.Mask, t.Mask) >= 0.3f)
            {
                Switches++;
                break;
            }
    }

    private static void Blend(FloatPlane track, FloatPlane detection)
    {
        var m = track.Data;
        var d = detection.Data;
        for (int i = 0; i < m.Length; i++) m[i] += (d[i] - m[i]) * Follow;
    }

    /// <summary>Intersection over union of the two masks taken at 0.5.</summary>
    public static float Iou(FloatPlane a, FloatPlane b)
    {
        var x = a.Data;
        var y = b.Data;
        int n = a.Width * a.Height, inter = 0, union = 0;
        for (int i = 0; i < n; i++)
        {
            bool p = x[i] > 0.5f, q = y[i] > 0.5f;
            if (p && q) inter++;
            if (p || q) union++;
        }
        return union == 0 ? 0 : (float)inter / union;
    }
}
