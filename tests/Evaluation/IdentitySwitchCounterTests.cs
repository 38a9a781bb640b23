using StreamMatte.Pipeline.Evaluation;

namespace StreamMatte.Tests.Evaluation;

/// <summary>Identity switches counted against reference tracklets, on boxes in a 40×10 mask.</summary>
public class IdentitySwitchCounterTests
{
    private static bool[] Box(int x0, int x1)
    {
        var m = new bool[40 * 10];
        for (int y = 0; y < 10; y++)
            for (int x = x0; x < x1; x++) m[y * 40 + x] = true;
        return m;
    }

    [Fact]
    public void Numbers_that_follow_their_people_are_no_switch()
    {
        var counter = new IdentitySwitchCounter();
        for (int t = 0; t < 10; t++)
            counter.Add([Box(t, t + 8), Box(30 - t, 38 - t)], [(1, Box(t, t + 8)), (2, Box(30 - t, 38 - t))]);
        Assert.Equal(0, counter.Switches);
        Assert.Equal(2, counter.Tracklets);
        Assert.Equal(20, counter.Matched);
    }

    [Fact]
    public void Two_people_swapping_numbers_and_a_person_renumbered_while_visible_are_switches()
    {
        var counter = new IdentitySwitchCounter();
        counter.Add([Box(0, 8), Box(30, 38)], [(1, Box(0, 8)), (2, Box(30, 38))]);
        counter.Add([Box(1, 9), Box(29, 37)], [(2, Box(1, 9)), (1, Box(29, 37))]);   // swapped: two switches
        counter.Add([Box(2, 10), Box(28, 36)], [(2, Box(2, 10)), (3, Box(28, 36))]); // the right one renumbered: one more
        Assert.Equal(3, counter.Switches);
        Assert.Equal(100.0, counter.SwitchesPer100Frames);
    }

    [Fact]
    public void A_person_the_reference_loses_track_of_starts_a_new_tracklet_and_unmatched_frames_count_nothing()
    {
        var counter = new IdentitySwitchCounter();
        counter.Add([Box(0, 8)], [(1, Box(0, 8))]);
        counter.Add([Box(20, 28)], [(5, Box(20, 28))]);   // a jump: no overlap with the last frame, so a new tracklet, not a switch
        counter.Add([Box(21, 29)], []);                    // ours sees nobody: no match, no switch
        counter.Add([Box(22, 30)], [(5, Box(22, 30))]);
        Assert.Equal(0, counter.Switches);
        Assert.Equal(2, counter.Tracklets);
        Assert.Equal(3, counter.Matched);
        Assert.Equal(4, counter.Detections);
    }
}
