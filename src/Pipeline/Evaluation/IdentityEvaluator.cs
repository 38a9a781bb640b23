using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.People;
using StreamMatte.Pipeline.Video;

namespace StreamMatte.Pipeline.Evaluation;

/// <summary>Identity stability of one people model on one clip (see <see cref="IdentitySwitchCounter"/>).</summary>
public sealed record IdentityScores(string Model, string Reference, string Video, int Frames, int NumbersHandedOut, int Tracklets,
    int Detections, int Matched, int Switches, double SwitchesPer100Frames, int TrackerSwitches);

/// <summary>
/// Runs a people model the way the pipeline does (the working-size picture, <see cref="IdentityTracker"/> at a
/// quarter of it) on the first frames of a clip, beside a reference model whose detections make the tracklets,
/// and counts identity switches.
/// </summary>
public static class IdentityEvaluator
{
    public static IdentityScores Run(IMattingModel model, IMattingModel reference, string video, int longSide, int frames, int maxPeople = MattingPipeline.MaxPeople)
    {
        var info = MediaInfo.Probe(video);
        double s = Math.Min(1.0, (double)longSide / Math.Max(info.Width, info.Height));
        int w = Math.Max(2, (int)Math.Round(info.Width * s / 2) * 2), h = Math.Max(2, (int)Math.Round(info.Height * s / 2) * 2);
        int mw = Math.Max(1, w / 4), mh = Math.Max(1, h / 4);
        var tracker = new IdentityTracker(mw, mh, maxPeople, new PeopleSettings());
        var map = new PeopleMap(mw, mh, maxPeople);
        var counter = new IdentitySwitchCounter();
        var resampler = new MatteResampler();
        var atMaskSize = new FloatPlane(mw, mh);
        var picture = new RgbImage(w, h);
        using var reader = new VideoReader(video, new VideoReaderOptions { Size = (w, h), MaxFrames = frames }, info);
        while (reader.ReadFrame(picture))
        {
            var referencePeople = reference.Process(picture).Instances;
            var referenceMasks = new List<bool[]>(referencePeople.Length);
            foreach (var person in referencePeople)
            {
                resampler.Resample(person.Mask, atMaskSize);
                referenceMasks.Add(atMaskSize.Data.Select(v => v > 0.5f).ToArray());
            }
            tracker.Update(model.Process(picture).Instances);
            tracker.Publish(map);
            var ours = new List<(int, bool[])>();
            for (int i = 0; i < map.Count; i++)
                if (map.Ids[i] > 0) ours.Add((map.Ids[i], map.Shares[i].Data.Select(v => v > 0.5f).ToArray()));
            counter.Add(referenceMasks, ours);
        }
        return new IdentityScores(model.Name, reference.Name, Path.GetFileName(video), counter.Frames, tracker.Identities, counter.Tracklets,
            counter.Detections, counter.Matched, counter.Switches, counter.SwitchesPer100Frames, tracker.Switches);
    }
}
