using StreamMatte.Imaging;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline;
using StreamMatte.Pipeline.Compositing;
using StreamMatte.Pipeline.People;
using StreamMatte.Pipeline.Sinks;
using StreamMatte.Pipeline.Video;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.People;

/// <summary>Per-person handling: identities across frames, the split of the matte, --keep / --remove, per-person output.</summary>
public class PeopleTests
{
    private const int W = 48, H = 32;

    /// <summary>A frame's people as instance masks: boxes (x0, y0, x1, y1) at W×H.</summary>
    private static MatteOutput Detections(params (int X0, int Y0, int X1, int Y1)[] boxes)
    {
        var output = new MatteOutput(W, H, maxInstances: 8);
        for (int i = 0; i < boxes.Length; i++)
        {
            var slot = output.InstanceSlot(i);
            slot.Score = 0.9f;
            var (x0, y0, x1, y1) = boxes[i];
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    slot.Mask[x, y] = x >= x0 && x < x1 && y >= y0 && y < y1 ? 1 : 0;
        }
        output.InstanceCount = boxes.Length;
        return output;
    }

    private static int[] Ids(IdentityTracker tracker)
    {
        var map = new PeopleMap(W, H, 8);
        tracker.Publish(map);
        return map.Ids.Take(map.Count).ToArray();
    }

    [Fact]
    public void People_keep_their_numbers_while_they_move_and_swap_places_in_the_networks_output()
    {
        var tracker = new IdentityTracker(W, H, 8, new PeopleSettings());
        var map = new PeopleMap(W, H, 8);
        for (int t = 0; t < 10; t++)
        {
            var left = (2 + t, 4, 14 + t, 32);
            var right = (34 - t, 8, 44 - t, 32);
            // The network's slot order means nothing: alternate it.
            tracker.Update((t % 2 == 0 ? Detections(left, right) : Detections(right, left)).Instances);
            tracker.Publish(map);
        }
        Assert.Equal(2, tracker.Identities);
        Assert.Equal(0, tracker.Switches);
        // Person 1 (first seen on the left) is still the one on the left.
        int leftIndex = Array.IndexOf(map.Ids, 1);
        Assert.True(map.Shares[leftIndex][15, 20] > 0.5f, "person 1 should still be the left one");
    }

    [Fact]
    public void A_one_frame_detection_gets_no_number_and_a_briefly_hidden_person_keeps_theirs()
    {
        var settings = new PeopleSettings { ConfirmFrames = 2, MemoryFrames = 5 };
        var tracker = new IdentityTracker(W, H, 8, settings);
        var person = (10, 4, 22, 32);
        tracker.Update(Detections(person).Instances);
        Assert.Equal([1], Ids(tracker));                             // the first frame's people: numbered at once
        tracker.Update(Detections(person, (36, 20, 44, 32)).Instances);   // a flicker elsewhere
        Assert.Equal([1, 0], Ids(tracker));                          // later arrivals wait: no number yet
        tracker.Update(Detections(person).Instances);
        Assert.Equal([1], Ids(tracker));
        for (int t = 0; t < 4; t++) tracker.Update(Detections().Instances);   // hidden for 4 frames
        tracker.Update(Detections(person).Instances);
        Assert.Equal([1], Ids(tracker));
        Assert.Equal(1, tracker.Identities);                          // the flicker never got a number

        for (int t = 0; t < 6; t++) tracker.Update(Detections().Instances);   // gone longer than the memory
        tracker.Update(Detections(person).Instances);
        Assert.Equal([0], Ids(tracker));                             // back after the memory: a new person, who waits
        tracker.Update(Detections(person).Instances);
        Assert.Equal([2], Ids(tracker));
    }

    [Fact]
    public void After_a_scene_cut_the_first_frames_people_are_numbered_at_once_with_new_numbers()
    {
        var tracker = new IdentityTracker(W, H, 8, new PeopleSettings { ConfirmFrames = 3 });
        tracker.Update(Detections((2, 2, 12, 32)).Instances);
        tracker.Reset();
        tracker.Update(Detections((30, 2, 40, 32), (14, 2, 24, 32)).Instances);
        Assert.Equal([2, 3], Ids(tracker));
    }

    [Fact]
    public void Keep_largest_and_remove_hold_from_the_very_first_frame()
    {
        // Issue 22: with nobody numbered on frame 1, --keep largest emptied the first frame's matte and --remove 1
        // left person 1 in it.
        foreach (var people in new[] { new PeopleSettings { Keep = KeepPeople.Largest }, new PeopleSettings { RemoveIds = new HashSet<int> { 2 } } })
        {
            using var source = new TwoPeopleSource(160, 96, frames: 3);
            var sink = new ImageCapturingSink();
            var settings = new PipelineSettings
            {
                Composite = new CompositeSettings(new Background.Color(0, 0, 255), Decontaminate: false),
                Smoothing = new StreamMatte.Pipeline.Matte.SmoothingSettings(0),
                People = people,
            };
            new MattingPipeline(source, new ScriptedModel(), sink, settings, new ScriptedInstanceModel()).Run();
            var first = sink.Images[0];
            var boxes = source.People(0);
            Assert.Equal((250, 40, 40), Pixel(first, (boxes[0].X0 + boxes[0].X1) / 2, (boxes[0].Y0 + 96) / 2));  // the larger, person 1
            Assert.Equal((0, 0, 255), Pixel(first, (boxes[1].X0 + boxes[1].X1) / 2, (boxes[1].Y0 + 96) / 2));   // the other, person 2
        }
    }

    [Fact]
    public void Shares_split_the_matte_so_the_people_add_up_to_it_and_the_selection_keeps_the_largest()
    {
        var settings = new PeopleSettings { Keep = KeepPeople.Largest };
        var tracker = new IdentityTracker(W, H, 8, settings);
        var splitter = new PeopleSplitter(settings);
        var map = new PeopleMap(W, H, 8);
        for (int t = 0; t < 3; t++)
        {
            tracker.Update(Detections((2, 2, 20, 32), (24, 10, 34, 32)).Instances);   // touching people, left larger
            tracker.Publish(map);
            splitter.Split(map);
        }
        for (int i = 0; i < W * H; i++)
        {
            float sum = map.Shares[0].Data[i] + map.Shares[1].Data[i];
            Assert.True(sum < 1e-6f || Math.Abs(sum - 1) < 1e-5f, $"shares at {i} add up to {sum}");
        }
        int large = Array.IndexOf(map.Ids, 1);
        Assert.Equal(1, splitter.LargestId);
        Assert.Equal(1f, map.Selection[10, 20], 5);     // inside the large person
        Assert.Equal(0f, map.Selection[29, 20], 5);     // inside the small one
        Assert.Equal(0f, map.Selection[44, 5], 5);      // nobody's: not kept when only the largest stays
        Assert.Equal(1f, map.Shares[large][10, 20], 5);
    }

    [Fact]
    public void Keep_largest_on_a_two_person_clip_leaves_one_person_and_replaces_the_other_with_the_background()
    {
        using var source = new TwoPeopleSource(160, 96, frames: 12);
        var sink = new ImageCapturingSink();
        var settings = new PipelineSettings
        {
            Composite = new CompositeSettings(new Background.Color(0, 0, 255), Decontaminate: false),
            Smoothing = new StreamMatte.Pipeline.Matte.SmoothingSettings(0),
            People = new PeopleSettings { Keep = KeepPeople.Largest },
        };
        var people = new ScriptedInstanceModel();
        var pipeline = new MattingPipeline(source, new ScriptedModel(), sink, settings, people);

        pipeline.Run();

        Assert.Equal(12, sink.Images.Count);
        Assert.Equal(12, people.Runs);
        Assert.Equal(0, pipeline.FramesOutstanding);
        var last = sink.Images[^1];
        var boxes = source.People(11);
        var (lx0, ly0, lx1, _) = boxes[0];
        var (sx0, sy0, sx1, _) = boxes[1];
        Assert.Equal((250, 40, 40), Pixel(last, (lx0 + lx1) / 2, (ly0 + 96) / 2));   // the larger person stays
        Assert.Equal((0, 0, 255), Pixel(last, (sx0 + sx1) / 2, (sy0 + 96) / 2));    // the other is background
        Assert.Equal((0, 0, 255), Pixel(last, 155, 5));                              // background stays background
    }

    [Fact]
    public void Remove_by_number_and_per_person_mattes_are_written_for_each_numbered_person()
    {
        string dir = Tool.TempDir();
        using var source = new TwoPeopleSource(160, 96, frames: 6);
        var capture = new ImageCapturingSink();
        string folder = Path.Combine(dir, "people");
        using var perPerson = new PeopleMatteSink(folder);
        var settings = new PipelineSettings
        {
            Composite = new CompositeSettings(new Background.Color(0, 0, 255), Decontaminate: false),
            Smoothing = new StreamMatte.Pipeline.Matte.SmoothingSettings(0),
            People = new PeopleSettings { RemoveIds = new HashSet<int> { 1 }, OutputDirectory = folder },
        };
        var pipeline = new MattingPipeline(source, new ScriptedModel(), new TeeSink([capture, perPerson]), settings, new ScriptedInstanceModel());

        pipeline.Run();

        var boxes = source.People(5);
        var last = capture.Images[^1];
        Assert.Equal((0, 0, 255), Pixel(last, (boxes[0].X0 + boxes[0].X1) / 2, 80));     // person 1 removed
        Assert.Equal((250, 40, 40), Pixel(last, (boxes[1].X0 + boxes[1].X1) / 2, 80));   // person 2 kept
        Assert.Equal(["person_01", "person_02"], Directory.GetDirectories(folder).Select(d => Path.GetFileName(d)!).Order().ToArray());
        // Both are in the first frame, so both are numbered from it on: frames 0..5.
        Assert.Equal(6, Directory.GetFiles(Path.Combine(folder, "person_01"), "*.png").Length);
        var matte = Tool.ReadGray(Path.Combine(folder, "person_02", "000005.png"), 160, 96);
        Assert.Equal(255, matte[80 * 160 + (boxes[1].X0 + boxes[1].X1) / 2]);
        Assert.Equal(0, matte[80 * 160 + (boxes[0].X0 + boxes[0].X1) / 2]);
    }

    [Fact]
    public void The_png_writer_writes_files_ffmpeg_reads_back_exactly()
    {
        string dir = Tool.TempDir();
        var pixels = new byte[37 * 11];
        new Random(3).NextBytes(pixels);
        string path = Path.Combine(dir, "a.png");
        new GrayPngWriter().Write(path, pixels, 37, 11);
        Assert.Equal(pixels, Tool.ReadGray(path, 37, 11));
        Assert.False(File.Exists(path + ".part"));
    }

    private static (int, int, int) Pixel(RgbImage image, int x, int y)
    {
        var p = image.Pixels;
        int i = 3 * (y * image.Width + x);
        return (p[i], p[i + 1], p[i + 2]);
    }
}
